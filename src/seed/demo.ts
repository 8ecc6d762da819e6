/**
 * Demo data for `npm start` on an empty database: the places and checkpoints of 山阳区
 * (src/seed/places.ts), one staff account per role (src/seed/staff.ts), the guard posted at a
 * gate of 文化巷社区, a small outbreak there (src/seed/outbreak.ts: cases, contacts, visits) and
 * its community work (src/seed/community.ts: arrivals, a key person's team, a door sensor,
 * screening). Runs only while no staff account exists, so a real deployment is never touched.
 */
import type { AppContext } from '../context';
import { firstCheckpointOf, seedDemoPlaces } from './places';
import { DEMO_COMMUNITY, seedDemoStaff } from './staff';
import { seedDemoOutbreak } from './outbreak';
import { seedDemoCommunityWork } from './community';
import { seedDemoCertificates } from './certificates';

/**
 * Seed when no staff exist.
 * @returns lines to print: one per demo login ("role  username  area"), the shared password, and a
 *   check-in link of the guard's gate; [] when staff already existed (nothing seeded).
 */
export async function seedDemo(ctx: AppContext): Promise<string[]> {
  const anyStaff = await ctx.db.selectFrom('staff').select('id').limit(1).executeTakeFirst();
  if (anyStaff) return [];
  const places = await seedDemoPlaces(ctx);
  const post = await firstCheckpointOf(ctx, DEMO_COMMUNITY, 'residential') ?? await firstCheckpointOf(ctx, DEMO_COMMUNITY);
  const { lines, password } = await seedDemoStaff(ctx, { guardCheckpointId: post?.checkpointId });
  const outbreak = await seedDemoOutbreak(ctx, post?.communityCode ?? DEMO_COMMUNITY);
  const work = await seedDemoCommunityWork(ctx, post?.communityCode ?? DEMO_COMMUNITY);
  const declarations = await seedDemoCertificates(ctx, post?.communityCode ?? DEMO_COMMUNITY);
  return [
    ...lines,
    `password of every demo account: ${password}`,
    `demo places: ${places.places} places, ${places.checkpoints} checkpoints in ${places.communities} communities of 山阳区`,
    ...(outbreak ? [outbreak] : []),
    ...(work ? [work] : []),
    ...(declarations ? [declarations] : []),
    ...(post ? [`demo-guard's gate: ${post.placeName} ${post.checkpointName}  ${ctx.config.PUBLIC_URL}/c/${post.token}`] : []),
  ];
}
