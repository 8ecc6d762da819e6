/**
 * Routes of persons, the status register and the resident's own page, registered together from
 * one line of src/app.ts: resident routes (resident-routes.ts), staff routes (staff-routes.ts),
 * POST /api/persons/:id/status (status/routes.ts) and GET /api/r/me (me/routes.ts).
 */
import type { ZApp } from '../../app';
import type { AppContext } from '../../context';
import { registerMeRoutes } from '../me/routes';
import { registerStatusRoutes } from '../status/routes';
import { registerResidentPersonRoutes } from './resident-routes';
import { registerStaffPersonRoutes } from './staff-routes';

export function registerPersonsRoutes(app: ZApp, ctx: AppContext) {
  registerResidentPersonRoutes(app, ctx);
  registerStaffPersonRoutes(app, ctx);
  registerStatusRoutes(app, ctx);
  registerMeRoutes(app, ctx);
}
