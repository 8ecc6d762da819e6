/**
 * Demo community work for `npm start` (issue 5), so the pages of 社区报到, 重点人员, 我的任务 and
 * 住户与排查 show something on a fresh install. Dates are relative to the China date of seeding (T):
 * - the city's arrival rules: 湖北武汉 (4201) → home isolation 14 days, other 湖北 (42) → health
 *   monitoring 14 days;
 * - 1号楼 and 2号楼 with six households (one empty, one rented) in the demo community;
 * - arrivals: 陈返乡 from 武汉 on T−3 (home isolation; five-for-one team of the demo street cadre,
 *   community worker, doctor, police officer and counsellor; observation reports T−2 to T−1, the
 *   last one 37.6 °C, so each member has a fever task), 刘返岗 from 郑州 on T−2 (no measure) and
 *   杨返校 from 孝感 on T−1 (health monitoring);
 * - a door sensor on 陈返乡's household with an agreed window 08:00–08:30 (送菜), opened at 03:10 on
 *   T−1 (an alert: door_open tasks), closed again, and a heartbeat at seeding (no device is really
 *   there, so the heartbeat job reports it silent once SENSOR_HEARTBEAT_MIN has passed);
 * - a screening campaign started on T−1 with four of the six households visited.
 * Everything goes through the services (rules, status register, tasks, audit), as the staff would.
 */
import type { AppContext } from '../context';
import { addDays, chinaDate, chinaDayStart } from '../lib/time';
import { addRule } from '../modules/arrivals/service';
import { reportByStaff } from '../modules/arrivals/reports';
import { addMember, createBuilding, createHousehold, type HouseholdView } from '../modules/households/service';
import { createCampaign, recordVisit as recordScreeningVisit } from '../modules/households/screening';
import { recordVisit as recordObservation } from '../modules/keypersons/observations';
import { assignTeam } from '../modules/keypersons/service';
import { bindSensor } from '../modules/sensors/service';
import { ingestMessage } from '../modules/sensors/ingest';
import { demoId, staffAs } from './outbreak';

/** The demo door sensor's device id (Zigbee2MQTT friendly name): publish to `<prefix>/<this>`. */
export const DEMO_SENSOR = 'demo-door-0001';

/**
 * Seed the community work above into `community` with the demo accounts.
 * @returns a printable summary line, or null when the demo accounts are missing.
 */
export async function seedDemoCommunityWork(ctx: AppContext, community: string, today = chinaDate()): Promise<string | null> {
  const [city, worker, street, doctor, police, counsellor] = await Promise.all(
    ['demo-city', 'demo-community', 'demo-street', 'demo-doctor', 'demo-police', 'demo-counsellor'].map((u) => staffAs(ctx, u)));
  if (!city || !worker || !street || !doctor || !police || !counsellor) return null;
  const T = (d: number) => addDays(today, d);

  await addRule(ctx, city, { originPrefix: '4201', originLabel: '湖北武汉', measure: 'home_isolation', days: 14, priority: 10, note: '演示：来自武汉市一律居家隔离14天' });
  await addRule(ctx, city, { originPrefix: '42', originLabel: '湖北（武汉以外）', measure: 'health_monitoring', days: 14, note: '演示：来自湖北其他地区健康监测14天' });

  const b1 = await createBuilding(ctx, worker, { communityCode: community, name: '1号楼' });
  const b2 = await createBuilding(ctx, worker, { communityCode: community, name: '2号楼' });
  const homes: HouseholdView[] = [];
  for (const [b, unit, room, occupancy, tenantNote] of [
    [b1, '1单元', '101', 'occupied', ''], [b1, '1单元', '102', 'rented', '租户：外地务工人员两人'], [b1, '2单元', '201', 'empty', '空置，业主在外地'],
    [b2, '1单元', '101', 'occupied', ''], [b2, '1单元', '102', 'occupied', ''], [b2, '2单元', '202', 'occupied', ''],
  ] as const) {
    homes.push(await createHousehold(ctx, worker, { buildingId: b.id, unit, room, occupancy, tenantNote, residentSince: occupancy === 'empty' ? null : T(-400) }, today));
  }

  const arrive = async (n: number, name: string, birth: string, home: HouseholdView, origin: [string, string, string], arrivalOn: string, circumstance: 'home' | 'work' | 'study') => {
    const r = await reportByStaff(ctx, worker, {
      person: { name, docType: 'resident_id', docNumber: demoId(n, birth), phone: null, communityCode: community,
        address: `${home.buildingName ?? ''}${home.unit}${home.room}` },
      communityCode: community, householdId: home.id, originCode: origin[0], originText: origin[1], route: origin[2], transport: '火车',
      circumstance, arrivalOn,
    }, today);
    await addMember(ctx, worker, home.id, { personId: r.arrival.personId, since: arrivalOn }, today);
    return r.arrival;
  };
  const chen = await arrive(20, '陈返乡', '19850312', homes[0]!, ['420102', '湖北省武汉市江岸区', 'G1234次列车 武汉—焦作'], T(-3), 'home');
  await arrive(21, '刘返岗', '19900704', homes[3]!, ['4101', '河南省郑州市', 'K270次列车 郑州—焦作'], T(-2), 'work');
  await arrive(22, '杨返校', '20010915', homes[4]!, ['4209', '湖北省孝感市', 'G1234次列车 孝感北—焦作'], T(-1), 'study');

  const kp = await ctx.db.selectFrom('key_persons').select('id').where('person_id', '=', chen.personId).where('closed_on', 'is', null)
    .executeTakeFirstOrThrow();
  await assignTeam(ctx, worker, kp.id, { street_cadre: street.id, community_worker: worker.id, doctor: doctor.id, police: police.id, counsellor: counsellor.id }, today);
  for (const [reportOn, slot, temperature] of [[T(-2), 'am', 36.5], [T(-2), 'pm', 36.8], [T(-1), 'am', 36.6], [T(-1), 'pm', 37.6]] as const) {
    await recordObservation(ctx, doctor, kp.id, { slot, temperature, symptoms: temperature >= 37.3 ? ['cough'] : [], reportOn }, today);
  }

  await bindSensor(ctx, worker, { device: DEMO_SENSOR, householdId: homes[0]!.id, keyPersonId: kp.id, windows: [{ from: '08:00', to: '08:30', note: '送菜' }] });
  const night = chinaDayStart(T(-1)).getTime();
  const topic = `${ctx.config.MQTT_TOPIC_PREFIX}/${DEMO_SENSOR}`;
  await ingestMessage(ctx, topic, '{"contact":false,"battery":87,"linkquality":120}', new Date(night + (3 * 60 + 10) * 60_000));
  await ingestMessage(ctx, topic, '{"contact":true,"battery":87,"linkquality":118}', new Date(night + (3 * 60 + 12) * 60_000));
  await ingestMessage(ctx, topic, '{"contact":true,"battery":86,"linkquality":121}', new Date()); // a heartbeat at seeding

  const campaign = await createCampaign(ctx, worker, { communityCode: community, name: '清零行动（演示）', startedOn: T(-1) }, today);
  const outcomes = ['key_person_found', 'normal', 'empty', 'no_answer'] as const;
  for (const [i, outcome] of outcomes.entries()) {
    await recordScreeningVisit(ctx, worker, campaign.id, { householdId: homes[i]!.id, outcome, note: outcome === 'no_answer' ? '两次敲门无人应答' : '' });
  }
  return `demo community work: 3 arrivals, 1 key person with a five-for-one team, door sensor ${DEMO_SENSOR}, screening 4 of 6 households in ${community}`;
}
