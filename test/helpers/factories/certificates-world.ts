/**
 * The world's health declarations (issue 6), written directly (no route, no audit), so route-table
 * entries (test/api/routes/certificates.ts) have of each side:
 * - households for the side's resident and their dependents (on the resident's phone) since 40 days
 *   ago, so POST /api/r/declarations for `dependent` is eligible (not for the resident: the arrival
 *   routes report the resident's arrival yesterday, which restarts the 14 days);
 * - `returnedId`: a declaration of `dependent2` returned by the information officer (the resident
 *   resubmits it before the dependent routes unbind dependent2);
 * - `declarationId`: a submitted declaration of a new person (`persons[0]`), the one staff read and
 *   the information officer verifies;
 * - `entryPersonId`: an eligible person without a declaration (`persons[1]`), for staff entry;
 * - `certificateId` / `certificateToken`: an issued certificate of the resident (on the resident's
 *   phone: printed by staff and by the resident, verified); `spareCertificateId`: one of
 *   `persons[2]` the revoke route may revoke. Both issued by the side's
 *   health service center, signed by its chief doctor (`chiefDoctorId`).
 */
import type { AppContext } from '../../../src/context';
import { randomUUID } from 'node:crypto';
import { addDays, chinaDate } from '../../../src/lib/time';
import { certIssuer, signToken } from '../../../src/modules/tokens/service';
import { buildPerson, validResidentId } from './persons';

export interface WorldCertificates {
  declarationId: string; returnedId: string; entryPersonId: string;
  certificateId: string; certificateToken: string; spareCertificateId: string;
  persons: Array<{ id: string; name: string; docNumber: string; phone: string | null }>;
}

/** Insert the records above for the side whose district is `district` and community `community`. */
export async function buildCertificatesWorld(ctx: AppContext, o: {
  district: string; community: string; label: string; residentPersonId: string; dependentPersonIds: [string, string]; infoOfficerId: string;
  chiefDoctorId: string;
}): Promise<WorldCertificates> {
  const today = chinaDate();
  const since = addDays(today, -40);
  const house = async (personIds: string[], room: string) => {
    const h = await ctx.db.insertInto('households').values({ community_code: o.community, room, resident_since: since }).returning('id').executeTakeFirstOrThrow();
    await ctx.db.insertInto('household_members').values(personIds.map((p) => ({ household_id: h.id, person_id: p, since }))).execute();
  };
  const person = async (suffix: string) => {
    const p = await buildPerson(ctx, { name: `${o.label}${suffix}`, homeCommunityCode: o.community, docNumber: validResidentId({ region: o.district }) });
    return { id: p.id, name: p.name, docNumber: p.docNumber, phone: p.phone };
  };
  await house([o.residentPersonId, ...o.dependentPersonIds], `申报${o.label}1`);
  const applicant = await person('申报人');
  const entry = await person('代办申报');
  await house([applicant.id], `申报${o.label}2`);
  await house([entry.id], `申报${o.label}3`);
  const answers = JSON.stringify({
    residence: [{ on: today, place: '本社区' }], travel: '', contactWithCases: false, contactWithAreas: false, contactNote: '', symptoms: [],
    destination: '郑州市', purpose: '返岗复工',
  });
  const declaration = async (personId: string, state: 'submitted' | 'returned') => {
    const d = await ctx.db.insertInto('declarations').values({
      person_id: personId, community_code: o.community, state, submitted_via: 'self', answers, acknowledged_at: new Date(),
      return_reason: state === 'returned' ? '请核对门牌号' : null,
    }).returning('id').executeTakeFirstOrThrow();
    await ctx.db.insertInto('declaration_steps').values({ declaration_id: d.id, action: 'submit', to_state: 'submitted', actor_kind: 'resident', actor_role: 'resident' }).execute();
    if (state === 'returned') {
      await ctx.db.insertInto('declaration_steps').values({ declaration_id: d.id, action: 'return', from_state: 'submitted', to_state: 'returned',
        actor_kind: 'staff', actor_id: o.infoOfficerId, actor_role: 'info_officer', reason: '请核对门牌号' }).execute();
    }
    return d.id;
  };
  const center = await ctx.db.insertInto('organisations').values({ kind: 'health_center', name: `${o.label}区测试卫生服务中心`, area_code: o.district })
    .returning('id').executeTakeFirstOrThrow();
  const issued = async (p: { id: string; name: string }) => {
    const d = await ctx.db.insertInto('declarations').values({
      person_id: p.id, community_code: o.community, state: 'issued', submitted_via: 'self', answers, acknowledged_at: new Date(),
    }).returning('id').executeTakeFirstOrThrow();
    const id = randomUUID();
    const issuedAt = new Date(Math.floor(Date.now() / 1000) * 1000);
    const { token, expiresAt } = await signToken(ctx, 'cert', p.id, ctx.config.CERT_VALID_DAYS * 86_400,
      { nm: p.name, idm: '410811********0000', dt: '居民身份证', org: `${o.label}区测试卫生服务中心` },
      { jti: id, now: issuedAt, issuer: certIssuer(ctx.config.TOKEN_ISSUER, center.id) });
    await ctx.db.insertInto('certificates').values({
      id, declaration_id: d.id, person_id: p.id, org_id: center.id, chief_doctor_id: o.chiefDoctorId, issued_at: issuedAt, not_after: expiresAt, token,
    }).execute();
    return { id, token };
  };
  const holder = await ctx.db.selectFrom('persons').select(['id', 'name']).where('id', '=', o.residentPersonId).executeTakeFirstOrThrow();
  const spareHolder = await person('作废证');
  const cert = await issued(holder);
  return {
    declarationId: await declaration(applicant.id, 'submitted'), returnedId: await declaration(o.dependentPersonIds[1], 'returned'),
    entryPersonId: entry.id, persons: [applicant, entry, spareHolder],
    certificateId: cert.id, certificateToken: cert.token, spareCertificateId: (await issued(spareHolder)).id,
  };
}
