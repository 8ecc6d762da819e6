/** `npx yiqu purge`: delete check-ins, health declarations and measure records past their retention periods now (the server also does it on a timer). */
import type { Command } from 'commander';
import { loadConfig } from '../config';
import { openContext } from '../server';
import { purgeExpired } from '../modules/checkin/retention';
import { purgeDeclarations } from '../modules/certificates/retention';
import { purgeMeasureRecords } from '../modules/keypersons/retention';
import { chinaDateTime } from '../lib/time';

export function addPurgeCommand(program: Command) {
  program
    .command('purge')
    .description('delete check-ins, stays and resolved fever alerts older than RETENTION_DAYS (except held ones) with the check-in details of released traces, and health declarations closed for DECLARATION_RETENTION_DAYS; observation reports, door-sensor events and arrival travel details MEASURE_RETENTION_DAYS after their measure ended')
    .action(async () => {
      const ctx = await openContext(loadConfig());
      try {
        const n = await purgeExpired(ctx);
        console.log(`deleted ${n.checkins} check-ins, ${n.stays} stays, ${n.alerts} resolved fever alerts older than ${chinaDateTime(new Date(n.cutoff))} China time, and the check-in details of ${n.traces} traces`);
        const d = await purgeDeclarations(ctx);
        console.log(`deleted ${d.declarations} health declarations (${d.certificates} certificates) closed before ${chinaDateTime(d.cutoff)} China time`);
        const m = await purgeMeasureRecords(ctx);
        console.log(`deleted ${m.observationReports} observation reports and ${m.doorEvents} door-sensor events, and removed the travel details of ${m.arrivals} arrival reports, of measures ended before ${m.cutoffOn} (China date)`);
      } finally {
        await ctx.database.close();
      }
    });
}
