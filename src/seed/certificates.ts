/**
 * Demo health declarations (SPEC S6, issue 6), so `npm start` shows the certificate pages with data:
 * - 欧阳·明珠 (a middle-dot name), resident for 400 days: declared, verified, assessed and signed
 *   through the real services, so an issued certificate (PDF, QR, /v) exists;
 * - 马𠈌 (a rare character), resident for 60 days: a submitted declaration waiting for the
 *   information officer (demo-info), then the doctor (demo-doctor) and the chief doctor.
 * Both join the demo community's household 2号楼2单元202 (src/seed/community.ts), or a new one
 * when that is missing, so the screening campaign's household count stays as seeded.
 */
import type { AppContext } from '../context';
import { addDays, chinaDate } from '../lib/time';
import { registerPerson } from '../modules/persons/service';
import { enterDeclaration, staffStep } from '../modules/certificates/declarations';
import { addMember, createHousehold } from '../modules/households/service';
import { demoId, staffAs } from './outbreak';

/**
 * Seed the two declarations above into `community` with the demo accounts.
 * @returns a printable summary line, or null when the demo accounts are missing.
 */
export async function seedDemoCertificates(ctx: AppContext, community: string, today = chinaDate()): Promise<string | null> {
  const [worker, info, doctor, chief] = await Promise.all(['demo-community', 'demo-info', 'demo-doctor', 'demo-chief-doctor'].map((u) => staffAs(ctx, u)));
  if (!worker || !info || !doctor || !chief) return null;
  const home = await ctx.db.selectFrom('households').select('id').where('community_code', '=', community).where('unit', '=', '2单元')
    .where('room', '=', '202').executeTakeFirst()
    ?? await createHousehold(ctx, worker, { communityCode: community, unit: '2单元', room: '202', occupancy: 'occupied', residentSince: addDays(today, -400) }, today);
  const person = async (n: number, name: string, birth: string, days: number) => {
    const p = await registerPerson(ctx, { name, docType: 'resident_id', docNumber: demoId(n, birth), phone: null, communityCode: community, address: '2号楼2单元202' },
      'staff', { kind: 'staff', id: worker.id, role: worker.role, name: worker.displayName });
    await addMember(ctx, worker, home.id, { personId: p.id, since: addDays(today, -days) }, today);
    return p.id;
  };
  const answers = {
    residence: Array.from({ length: 14 }, (_, i) => ({ on: addDays(today, i - 13), place: '本社区2号楼2单元202' })),
    travel: '', contactWithCases: false, contactWithAreas: false, contactNote: '', symptoms: [], destination: '郑州市金水区', purpose: '返岗复工',
    acknowledged: true,
  };
  const issuedFor = await person(30, '欧阳·明珠', '19880521', 400);
  const d = await enterDeclaration(ctx, doctor, issuedFor, answers);
  await staffStep(ctx, info, d.id, { action: 'verify_residence' });
  await staffStep(ctx, doctor, d.id, { action: 'assess', assessment: { temperatureC: 36.4, cough: false, chestTightness: false, otherSymptoms: '', conclusion: 'fit' } });
  await staffStep(ctx, chief, d.id, { action: 'sign' });
  const waiting = await person(31, '马𠈌', '19951108', 60);
  await enterDeclaration(ctx, doctor, waiting, { ...answers, destination: '洛阳市', purpose: '出差' });
  return 'demo declarations: 1 certificate issued (欧阳·明珠), 1 waiting for demo-info (马𠈌)';
}
