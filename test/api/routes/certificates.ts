/**
 * Route-table entries of the health declaration routes (issue 6); merged into ROUTES by
 * test/api/route-table.ts. Data: test/helpers/factories/certificates-world.ts (`side.certificates`).
 * Repeated calls: a second submission or staff entry for the same person answers 409
 * declaration_open; a second verification 409 declaration_step_done; a second resubmission 409
 * declaration_not_returned. The resident declares for `dependent`: the resident's own arrival
 * (reported by the arrival routes, yesterday) makes the resident ineligible for 14 days.
 */
import type { RouteCase } from '../route-table';
import type { Side } from '../../helpers/factories/world';
import type { WorldCertificates } from '../../helpers/factories/certificates-world';
import { chinaDate } from '../../../src/lib/time';

const cert = (s: Side) => (s as Side & { certificates: WorldCertificates }).certificates;
const answers = () => ({
  residence: [{ on: chinaDate(), place: '本社区' }], travel: '', contactWithCases: false, contactWithAreas: false, contactNote: '', symptoms: [],
  destination: '郑州市', purpose: '返岗复工', acknowledged: true,
});
const RESIDENT_SCOPE = 'resident route: identified by the device cookie, never by area (the other side\'s phone is the outsider)';
const OWN_DATA = 'a resident\'s own persons on their own phone, audited as the device (not a staff read of someone else\'s record)';

export const CERTIFICATES_ROUTES: Record<string, RouteCase> = {
  'POST /api/r/declarations': {
    as: 'resident', body: (s) => ({ personId: s.dependent.id, ...answers() }), exempt: { scope: RESIDENT_SCOPE, audit: OWN_DATA },
  },
  'GET /api/r/declarations': { as: 'resident', exempt: { scope: RESIDENT_SCOPE, audit: OWN_DATA } },
  'POST /api/r/declarations/{id}/resubmit': {
    as: 'resident', params: (s) => ({ id: cert(s).returnedId }), body: () => answers(), exempt: { scope: RESIDENT_SCOPE, audit: OWN_DATA },
  },
  'POST /api/declarations': { as: 'community_doctor', body: (s) => ({ personId: cert(s).entryPersonId, ...answers() }) },
  'GET /api/declarations': { as: ['info_officer', 'community_doctor', 'district_command'], query: (s) => ({ areaCode: s.areas.community }) },
  'GET /api/declarations/{id}': { as: ['info_officer', 'chief_doctor'], params: (s) => ({ id: cert(s).declarationId }) },
  'POST /api/declarations/{id}/steps': { as: 'info_officer', params: (s) => ({ id: cert(s).declarationId }), body: () => ({ action: 'verify_residence' }) },
  // a second revocation answers 409 declaration_closed; a chief doctor revokes only what their own
  // center issued (the world's chief doctor belongs to none), so the district command office calls it
  'POST /api/certificates/{id}/revoke': { as: 'district_command', params: (s) => ({ id: cert(s).spareCertificateId }), body: () => ({ reason: '虚假申报' }) },
  'POST /api/certificates/verify': {
    as: 'public', body: (s) => ({ token: cert(s).certificateToken }),
    exempt: {
      scope: 'public route: whoever holds the certificate (a checkpoint, an employer) verifies it; the answer is what the token itself carries',
      audit: 'no staff account to attribute it to: audited as certificate.verify by the system actor, on the person (certificates.db.test.ts)',
    },
  },
  'GET /api/certificates/{id}/pdf': { as: ['chief_doctor', 'info_officer'], params: (s) => ({ id: cert(s).certificateId }) },
  'GET /api/r/certificates/{id}/pdf': {
    as: 'resident', params: (s) => ({ id: cert(s).certificateId }),
    exempt: { scope: RESIDENT_SCOPE, audit: OWN_DATA },
  },
};
