/** `npx yiqu purge`: delete check-ins past the retention period now (the server also does it on a timer). */
import type { Command } from 'commander';
import { loadConfig } from '../config';
import { openContext } from '../server';
import { purgeExpired } from '../modules/checkin/retention';

export function addPurgeCommand(program: Command) {
  program
    .command('purge')
    .description('delete check-ins, stays and resolved fever alerts older than RETENTION_DAYS, except held ones')
    .action(async () => {
      const ctx = await openContext(loadConfig());
      try {
        const n = await purgeExpired(ctx);
        console.log(`deleted ${n.checkins} check-ins, ${n.stays} stays, ${n.alerts} resolved fever alerts older than ${n.cutoff}`);
      } finally {
        await ctx.database.close();
      }
    });
}
