/** Health check, for load balancers and the benchmark's ceiling. */
import type { ZApp } from '../../app';
import { z } from 'zod';
import type { AppContext } from '../../context';

export function registerSystemRoutes(app: ZApp, ctx: AppContext) {
  app.get(
    '/healthz',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness and database kind',
        response: { 200: z.object({ status: z.literal('ok'), db: z.enum(['pglite', 'postgres']) }) },
      },
    },
    async () => ({ status: 'ok' as const, db: ctx.database.kind }),
  );
}
