/**
 * What a phone's persons must report today (issue 5 §4, the resident's 健康观察上报 page): each
 * person on the device with an open key-person record (openRecordsOf, the same records a self
 * report is stored for), day N of M, and whether today's am / pm reports are in (China date).
 */
import type { AppContext } from '../../context';
import type { KeyPersonCategory } from '../../db/schema';
import { chinaDate } from '../../lib/time';
import type { DeviceInfo } from '../persons/devices';
import { resolvedView } from './detail';
import { openRecordsOf } from './observations';

export interface ReportDue {
  personId: string; maskedName: string; keyPersonId: string; category: KeyPersonCategory; measure: string;
  day: number; of: number | null; endOn: string | null; todayOn: string;
  slots: { am: boolean; pm: boolean }; amDue: string; pmDue: string;
}

/**
 * The persons on `device` who report twice daily on `today` (China date), in the device's order;
 * a person with several open records is listed once (the report is stored for each). Nothing is
 * written (contacts without a key_persons row stand in by their contact id). Empty for an unknown device.
 */
export async function reportsDue(ctx: AppContext, device: DeviceInfo | null, today = chinaDate()): Promise<ReportDue[]> {
  const out: ReportDue[] = [];
  for (const p of device?.persons ?? []) {
    const records = await openRecordsOf(ctx.db, p.id, today, false);
    if (records.length === 0) continue;
    const views = await Promise.all(records.map((r) => resolvedView(ctx.db, r, today)));
    const main = views.sort((a, b) => (b.endOn ?? '9999').localeCompare(a.endOn ?? '9999'))[0]!;
    const done = await ctx.db.selectFrom('observation_reports').select('slot').where('report_on', '=', today)
      .where('key_person_id', 'in', records.map((r) => r.id)).execute();
    out.push({
      personId: p.id, maskedName: main.maskedName, keyPersonId: main.id, category: main.category, measure: main.measure,
      day: main.day, of: main.of, endOn: main.endOn, todayOn: today,
      slots: { am: done.some((d) => d.slot === 'am'), pm: done.some((d) => d.slot === 'pm') },
      amDue: ctx.config.OBSERVATION_AM_DUE, pmDue: ctx.config.OBSERVATION_PM_DUE,
    });
  }
  return out;
}
