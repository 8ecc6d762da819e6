/**
 * Screening campaigns (排查 / 清零行动, issue 5 §6), permission 'households.manage', scope as
 * ./service.ts (the campaign's community in the account's subtree, else 404).
 *
 * A campaign covers every household of its community as they are when the campaign is read (a
 * household added during the campaign is to be visited too). One visit per household and campaign:
 * a second visit of the same household REPLACES the first (answer 200, the previous outcome kept
 * in the audit row), so a revisit after no_answer records what came of it. A closed campaign
 * refuses visits and a second close (409 campaign_closed). The detail, the export and the
 * percentages come from the same rows through ./completion.ts, so the list's counts equal them
 * and the CSV has one line per household plus the header.
 */
import type { AppContext } from '../../context';
import { badRequest, conflict, notFound } from '../../lib/errors';
import { writeCsv } from '../../lib/spreadsheet';
import { chinaDate, chinaDateTime } from '../../lib/time';
import { audit } from '../audit/audit';
import { pastDate } from '../cases/rules';
import { staffActor, type StaffUser } from '../staff/auth';
import { campaignCompletion, percentOf, type BuildingCompletion, type CompletionFigure } from './completion';
import { scopedCommunity, unknownHousehold, type Occupancy } from './service';

export type VisitOutcome = 'normal' | 'key_person_found' | 'empty' | 'no_answer' | 'refused';
export const VISIT_OUTCOMES: readonly VisitOutcome[] = ['normal', 'key_person_found', 'empty', 'no_answer', 'refused'];
export const OUTCOME_ZH: Record<VisitOutcome, string> = {
  normal: '正常', key_person_found: '发现重点人员', empty: '空置', no_answer: '无人应答', refused: '拒绝配合',
};
const OCCUPANCY_ZH: Record<Occupancy, string> = { occupied: '自住', empty: '空置', rented: '出租' };

export interface CampaignView {
  id: string; communityCode: string; communityName: string | null; name: string; startedOn: string; endedOn: string | null;
  state: 'open' | 'closed';
}
export interface CampaignHousehold {
  householdId: string; buildingId: string | null; buildingName: string | null; unit: string; room: string; occupancy: Occupancy;
  tenantNote: string; visited: boolean; outcome: VisitOutcome | null; visitedAt: string | null; note: string;
}
export interface CampaignDetail {
  campaign: CampaignView; completion: CompletionFigure; buildings: BuildingCompletion[]; households: CampaignHousehold[];
}

const unknownCampaign = () => notFound('未找到该排查行动', 'Screening campaign not found');
const campaignClosed = () => conflict('campaign_closed', '该排查行动已结束', 'The screening campaign is closed');

async function scopedCampaign(ctx: AppContext, staff: StaffUser, id: string): Promise<CampaignView> {
  const r = await ctx.db.selectFrom('screening_campaigns as c').leftJoin('areas as a', 'a.code', 'c.community_code')
    .select(['c.id', 'c.community_code', 'a.name as community_name', 'c.name', 'c.started_on', 'c.ended_on'])
    .where('c.id', '=', id).where('c.community_code', 'like', `${staff.areaCode}%`).executeTakeFirst();
  if (!r) throw unknownCampaign();
  return { id: r.id, communityCode: r.community_code, communityName: r.community_name ?? null, name: r.name, startedOn: r.started_on,
    endedOn: r.ended_on, state: r.ended_on ? 'closed' : 'open' };
}

/** Start a campaign over a community. @throws 400 started_on_invalid/_in_future, name_required; 404 community. */
export async function createCampaign(ctx: AppContext, staff: StaffUser, c: { communityCode: string; name: string; startedOn: string },
  today = chinaDate()): Promise<CampaignView> {
  const community = await scopedCommunity(ctx.db, staff, c.communityCode);
  const name = c.name.trim();
  if (!name) throw badRequest('campaign_name_required', '请填写排查行动名称', 'Give the campaign a name');
  const startedOn = pastDate(c.startedOn, today, 'started_on', { zh: '开始日期', en: 'The start date' });
  const id = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.insertInto('screening_campaigns').values({ community_code: community, name, started_on: startedOn, created_by: staff.id })
      .returning('id').executeTakeFirstOrThrow();
    await audit(trx, staffActor(staff), { action: 'screening.create', areaCode: community, detail: { campaignId: row.id, name, startedOn } });
    return row.id;
  });
  return scopedCampaign(ctx, staff, id);
}

/**
 * The campaigns of a community in the caller's area, newest first, each with its completion for the
 * community (the same rows as campaignDetail: current households, visits of those). Not audited (no
 * person data). @throws 404 community outside the area.
 */
export async function listCampaigns(ctx: AppContext, staff: StaffUser, communityCode: string): Promise<Array<CampaignView & { completion: CompletionFigure }>> {
  const community = await scopedCommunity(ctx.db, staff, communityCode);
  const rows = await ctx.db.selectFrom('screening_campaigns as c').leftJoin('areas as a', 'a.code', 'c.community_code')
    .select(['c.id', 'c.community_code', 'a.name as community_name', 'c.name', 'c.started_on', 'c.ended_on'])
    .where('c.community_code', '=', community).orderBy('c.started_on', 'desc').orderBy('c.created_at', 'desc').limit(200).execute();
  const households = Number((await ctx.db.selectFrom('households').select((eb) => eb.fn.countAll<number>().as('n'))
    .where('community_code', '=', community).executeTakeFirstOrThrow()).n);
  const visits = rows.length === 0 ? [] : await ctx.db.selectFrom('screening_visits as v').innerJoin('households as h', 'h.id', 'v.household_id')
    .select(['v.campaign_id', (eb) => eb.fn.countAll<number>().as('n')]).where('h.community_code', '=', community)
    .where('v.campaign_id', 'in', rows.map((r) => r.id)).groupBy('v.campaign_id').execute();
  const visited = new Map(visits.map((v) => [v.campaign_id, Number(v.n)]));
  return rows.map((r) => {
    const n = visited.get(r.id) ?? 0;
    return { id: r.id, communityCode: r.community_code, communityName: r.community_name ?? null, name: r.name, startedOn: r.started_on,
      endedOn: r.ended_on, state: r.ended_on ? 'closed' : 'open', completion: { households, visited: n, percent: percentOf(n, households) } };
  });
}

/** Every household of the campaign's community with its visit (or none), by building, unit, room. */
async function campaignHouseholds(ctx: AppContext, c: CampaignView): Promise<CampaignHousehold[]> {
  const rows = await ctx.db.selectFrom('households as h').leftJoin('buildings as b', 'b.id', 'h.building_id')
    .leftJoin('screening_visits as v', (j) => j.onRef('v.household_id', '=', 'h.id').on('v.campaign_id', '=', c.id))
    .select(['h.id', 'h.building_id', 'b.name as building_name', 'h.unit', 'h.room', 'h.occupancy', 'h.tenant_note',
      'v.outcome', 'v.visited_at', 'v.note'])
    .where('h.community_code', '=', c.communityCode)
    .orderBy('b.name').orderBy('h.unit').orderBy('h.room').orderBy('h.id').execute();
  return rows.map((r) => ({
    householdId: r.id, buildingId: r.building_id, buildingName: r.building_name ?? null, unit: r.unit, room: r.room, occupancy: r.occupancy,
    tenantNote: r.tenant_note, visited: r.outcome !== null, outcome: r.outcome ?? null,
    visitedAt: r.visited_at ? r.visited_at.toISOString() : null, note: r.note ?? '',
  }));
}

/** The campaign, its households and completion (./completion.ts). Audited 'screening.read'. @throws 404. */
export async function campaignDetail(ctx: AppContext, staff: StaffUser, id: string): Promise<CampaignDetail> {
  const campaign = await scopedCampaign(ctx, staff, id);
  const households = await campaignHouseholds(ctx, campaign);
  const known = await ctx.db.selectFrom('buildings').select(['id', 'name']).where('community_code', '=', campaign.communityCode).orderBy('name').execute();
  const { community, buildings } = campaignCompletion(households, known);
  await audit(ctx.db, staffActor(staff), { action: 'screening.read', areaCode: campaign.communityCode,
    detail: { campaignId: id, households: community.households, visited: community.visited } });
  return { campaign, completion: community, buildings, households };
}

/**
 * Record the visit of a household (its community's campaign, open). A second visit replaces the
 * first. `visitedAt` defaults to `now`; not before the campaign's start day nor after `now`.
 * @throws 404 campaign/household; 409 campaign_closed; 400 visited_at_invalid.
 */
export async function recordVisit(ctx: AppContext, staff: StaffUser, campaignId: string,
  v: { householdId: string; outcome: VisitOutcome; note?: string; visitedAt?: string }, now = new Date()):
  Promise<{ visit: CampaignHousehold; replaced: boolean }> {
  const c = await scopedCampaign(ctx, staff, campaignId);
  const h = await ctx.db.selectFrom('households').select('id').where('id', '=', v.householdId).where('community_code', '=', c.communityCode).executeTakeFirst();
  if (!h) throw unknownHousehold();
  if (c.endedOn) throw campaignClosed();
  const at = v.visitedAt ? new Date(v.visitedAt) : now;
  if (Number.isNaN(at.getTime()) || at.getTime() > now.getTime() + 5 * 60_000 || chinaDate(at) < c.startedOn) {
    throw badRequest('visited_at_invalid', `走访时间须在行动开始（${c.startedOn}）之后且不晚于现在`,
      `The visit time must be on or after the campaign's start (${c.startedOn}) and not in the future`);
  }
  const note = v.note ?? '';
  const replaced = await ctx.db.transaction().execute(async (trx) => {
    const prev = await trx.selectFrom('screening_visits').select(['outcome', 'visited_at']).where('campaign_id', '=', campaignId)
      .where('household_id', '=', v.householdId).executeTakeFirst();
    if (prev) {
      await trx.updateTable('screening_visits').set({ outcome: v.outcome, note, visited_at: at, staff_id: staff.id })
        .where('campaign_id', '=', campaignId).where('household_id', '=', v.householdId).execute();
    } else {
      await trx.insertInto('screening_visits').values({ campaign_id: campaignId, household_id: v.householdId, outcome: v.outcome, note,
        visited_at: at, staff_id: staff.id }).execute();
    }
    await audit(trx, staffActor(staff), { action: prev ? 'screening.visit_replace' : 'screening.visit', areaCode: c.communityCode,
      detail: { campaignId, householdId: v.householdId, outcome: v.outcome,
        ...(prev ? { previousOutcome: prev.outcome, previousVisitedAt: prev.visited_at.toISOString() } : {}) } });
    return Boolean(prev);
  });
  const visit = (await campaignHouseholds(ctx, c)).find((x) => x.householdId === v.householdId)!;
  return { visit, replaced };
}

/** Close an open campaign on `today` (China date). @throws 404; 409 campaign_closed. */
export async function closeCampaign(ctx: AppContext, staff: StaffUser, id: string, today = chinaDate()): Promise<CampaignView> {
  const c = await scopedCampaign(ctx, staff, id);
  if (c.endedOn) throw campaignClosed();
  const endedOn = today < c.startedOn ? c.startedOn : today;
  await ctx.db.transaction().execute(async (trx) => {
    const r = await trx.updateTable('screening_campaigns').set({ ended_on: endedOn }).where('id', '=', id).where('ended_on', 'is', null).executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw campaignClosed();
    await audit(trx, staffActor(staff), { action: 'screening.close', areaCode: c.communityCode, detail: { campaignId: id, endedOn } });
  });
  return { ...c, endedOn, state: 'closed' };
}

export const EXPORT_HEADERS = ['楼栋', '单元', '门牌', '居住情况', '租户说明', '是否已走访', '走访结果', '走访时间', '备注'];

/**
 * The campaign's household list as CSV (formula-safe writeCsv): one line per household of the
 * detail, plus the header. Audited 'screening.export'. @throws 404.
 */
export async function exportCampaign(ctx: AppContext, staff: StaffUser, id: string): Promise<{ filename: string; csv: Buffer; rows: number }> {
  const campaign = await scopedCampaign(ctx, staff, id);
  const households = await campaignHouseholds(ctx, campaign);
  await audit(ctx.db, staffActor(staff), { action: 'screening.export', areaCode: campaign.communityCode,
    detail: { campaignId: id, rows: households.length, format: 'csv' } });
  const csv = writeCsv(EXPORT_HEADERS, households.map((h) => [
    h.buildingName ?? '', h.unit, h.room, OCCUPANCY_ZH[h.occupancy], h.tenantNote, h.visited ? '是' : '否',
    h.outcome ? OUTCOME_ZH[h.outcome] : '', h.visitedAt ? chinaDateTime(new Date(h.visitedAt)) : '', h.note,
  ]));
  return { filename: `screening-${campaign.communityCode}-${campaign.startedOn}.csv`, csv, rows: households.length };
}
