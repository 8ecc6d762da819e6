/**
 * The world's households and screening records (issue 5 §6), written directly (no route, no audit),
 * so route-table entries (test/api/routes/households.ts) have of each side:
 * - `buildingId`: 1号楼 of the community, with `householdId` (101, occupied) and a rented 102;
 * - `householdId`: the household the tests change (PATCH, members); `removablePersonId` lives there
 *   (the one DELETE …/members/{personId} unlinks); `memberPersonId` is not yet a member (POST …/members);
 * - `campaignId`: an open campaign (visits, detail, export), one household visited;
 * - `spareCampaignId`: an open campaign the tests close.
 * Both persons have their home in the community (in scope of its staff).
 */
import type { AppContext } from '../../../src/context';
import { addDays, chinaDate } from '../../../src/lib/time';
import { buildPerson, validResidentId } from './persons';

export interface WorldHouseholds {
  buildingId: string; householdId: string; campaignId: string; spareCampaignId: string;
  memberPersonId: string; removablePersonId: string;
  persons: Array<{ id: string; name: string; docNumber: string; phone: string | null }>;
}

/** Insert the records above for the side whose district is `district` and community `community`. */
export async function buildHouseholdsWorld(ctx: AppContext, o: { district: string; community: string; label: string; staffId: string }): Promise<WorldHouseholds> {
  const person = async (suffix: string) => {
    const p = await buildPerson(ctx, { name: `${o.label}${suffix}`, homeCommunityCode: o.community, docNumber: validResidentId({ region: o.district }) });
    return { id: p.id, name: p.name, docNumber: p.docNumber, phone: p.phone };
  };
  const [member, removable] = [await person('住户甲'), await person('住户乙')];
  const building = await ctx.db.insertInto('buildings').values({ community_code: o.community, name: `1号楼${o.label}` }).returning('id').executeTakeFirstOrThrow();
  const [household, rented] = await ctx.db.insertInto('households').values([
    { community_code: o.community, building_id: building.id, unit: '1', room: '101', occupancy: 'occupied', resident_since: '2015-06-01' },
    { community_code: o.community, building_id: building.id, unit: '1', room: '102', occupancy: 'rented', tenant_note: '租户张某，务工' },
  ]).returning('id').execute();
  await ctx.db.insertInto('household_members').values({ household_id: household!.id, person_id: removable.id, since: '2015-06-01' }).execute();
  const started = addDays(chinaDate(), -1);
  const [campaign, spare] = await ctx.db.insertInto('screening_campaigns').values([
    { community_code: o.community, name: `清零行动${o.label}`, started_on: started, created_by: o.staffId },
    { community_code: o.community, name: `排查${o.label}`, started_on: started, created_by: o.staffId },
  ]).returning('id').execute();
  await ctx.db.insertInto('screening_visits').values({ campaign_id: campaign!.id, household_id: rented!.id, visited_at: new Date(),
    staff_id: o.staffId, outcome: 'normal', note: '租户在家' }).execute();
  return {
    buildingId: building.id, householdId: household!.id, campaignId: campaign!.id, spareCampaignId: spare!.id,
    memberPersonId: member.id, removablePersonId: removable.id, persons: [member, removable],
  };
}
