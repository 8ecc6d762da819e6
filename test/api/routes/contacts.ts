/**
 * Route-table entries of the contact routes (issue 4 §2); merged into ROUTES by
 * test/api/route-table.ts. The changes run on the world's `spareContactId`, in this order within a
 * run: exposure, symptoms, override, revert (needs the override), release (last: a released contact
 * refuses changes). The hand-entered contact is the suspected case's person (`epi.persons[1]`), a
 * family member of the confirmed case.
 */
import type { RouteCase } from '../route-table';
import { addDays, chinaDate } from '../../../src/lib/time';

const today = () => chinaDate();

export const CONTACTS_ROUTES: Record<string, RouteCase> = {
  'POST /api/contacts': {
    as: ['district_command', 'city_command', 'chief_doctor'],
    body: (s) => ({ personId: s.epi.persons[1]!.id, caseId: s.epi.caseId, lastExposureOn: addDays(today(), -2), note: '同住家属' }),
  },
  'GET /api/contacts': { as: ['community_worker', 'community_doctor', 'district_command', 'info_officer'], query: (s) => ({ areaCode: s.areas.community, state: 'all' }) },
  'GET /api/contacts/{id}': { as: ['community_doctor', 'district_command'], params: (s) => ({ id: s.epi.contactId }) },
  'POST /api/contacts/{id}/exposure': {
    as: 'district_command', params: (s) => ({ id: s.epi.spareContactId }),
    body: () => ({ lastExposureOn: addDays(today(), -2), reason: '流调核实末次接触日期' }),
  },
  'POST /api/contacts/{id}/symptoms': {
    as: 'community_doctor', params: (s) => ({ id: s.epi.spareContactId }), body: () => ({ on: today(), reason: '咽痛，体温37.4℃' }),
  },
  'POST /api/contacts/{id}/override': {
    as: 'chief_doctor', params: (s) => ({ id: s.epi.spareContactId }), body: () => ({ endOn: addDays(today(), 20), reason: '专家组意见延长观察' }),
  },
  'POST /api/contacts/{id}/override/revert': {
    as: 'chief_doctor', params: (s) => ({ id: s.epi.spareContactId }), body: () => ({ reason: '按规定观察期计算' }),
  },
  'POST /api/contacts/{id}/release': {
    as: 'community_doctor', params: (s) => ({ id: s.epi.spareContactId }), body: () => ({ reason: '核酸阴性，专家组同意提前解除' }),
  },
};
