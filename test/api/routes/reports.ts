/**
 * Route-table entries of the situation report routes (issue 4 §4); merged into ROUTES by
 * test/api/route-table.ts. `seedReportFixtures` (called by openWorld) stores one published report
 * of each side's district (for GET /api/reports/published/{id}), written directly like the world's
 * other epidemiology records (test/helpers/factories/outbreak.ts).
 */
import type { RouteCase } from '../route-table';
import type { Side, World } from '../../helpers/factories/world';
import { addDays, chinaDate } from '../../../src/lib/time';
import { situationReport } from '../../../src/modules/reports/service';

const reportIds = new WeakMap<Side, string>();
/** The report date of the stored fixture (publish calls use other dates). */
const FIXTURE_DATE = '2020-02-26';

/** Store a published report (revision 1) of each side's district. */
export async function seedReportFixtures(w: World): Promise<void> {
  for (const s of [w.A, w.B]) {
    const r = await situationReport(w.t.ctx, s.areas.district, FIXTURE_DATE);
    const row = await w.t.ctx.db.insertInto('situation_reports').values({
      area_code: s.areas.district, report_date: FIXTURE_DATE, revision: 1, figures: JSON.stringify(r.figures), text_zh: r.text,
      published_by: s.staff.district_command.id,
    }).returning('id').executeTakeFirstOrThrow();
    reportIds.set(s, row.id);
  }
}

const reportId = (s: Side) => {
  const id = reportIds.get(s);
  if (!id) throw new Error('no report fixture: openWorld must call seedReportFixtures');
  return id;
};

// every publish goes to a day not published before, so the normal call is always revision 1 (201)
let published = 0;
const today = () => chinaDate();

export const REPORTS_ROUTES: Record<string, RouteCase> = {
  // figures only (no person data): not audited, like GET /api/checkins/counts
  'GET /api/reports/figures': { as: ['district_command', 'street_office', 'city_command'], query: (s) => ({ areaCode: s.areas.district, date: today() }) },
  'GET /api/reports/series': { as: 'district_command', query: (s) => ({ areaCode: s.areas.district, from: addDays(today(), -29), to: today() }) },
  'GET /api/reports/list': { as: 'district_command', query: (s) => ({ areaCode: s.areas.district, date: today(), figure: 'cumulativeConfirmed' }) },
  'GET /api/reports/export': { as: 'district_command', query: (s) => ({ areaCode: s.areas.district, date: today(), figure: 'underObservation' }) },
  'POST /api/reports/publish': {
    as: ['district_command', 'city_command'],
    body: (s) => ({ areaCode: s.areas.district, date: addDays(today(), -(30 + (published += 1))), note: '每日通报' }),
  },
  'GET /api/reports/published': { as: 'district_command', query: (s) => ({ areaCode: s.areas.district, date: FIXTURE_DATE }) },
  'GET /api/reports/published/{id}': { as: 'district_command', params: (s) => ({ id: reportId(s) }) },
};
