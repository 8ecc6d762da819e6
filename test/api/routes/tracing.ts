/** Route-table entries of the tracing routes (issue 4 §3); merged into ROUTES by test/api/route-table.ts. */
import type { RouteCase } from '../route-table';

export const TRACING_ROUTES: Record<string, RouteCase> = {
  // default windows: the world's case (onset 2 days ago, isolated yesterday) and contact (exposed yesterday)
  'POST /api/cases/{id}/traces': { as: 'district_command', params: (s) => ({ id: s.epi.caseId }), body: () => ({ reason: '确诊病例流调，排查同场所人员' }) },
  'POST /api/contacts/{id}/traces': { as: 'district_command', params: (s) => ({ id: s.epi.contactId }), body: () => ({ reason: '密切接触者追踪' }) },
  'GET /api/cases/{id}/traces': { as: 'district_command', params: (s) => ({ id: s.epi.caseId }) },
  'GET /api/traces/{id}': { as: 'district_command', params: (s) => ({ id: s.epi.traceId }) },
  'GET /api/traces/{id}/export': { as: 'district_command', params: (s) => ({ id: s.epi.traceId }) },
  // the world's trace lists its spare contact's person as a candidate: already a contact, so each call answers `existing`
  'POST /api/traces/{id}/contacts': {
    as: 'district_command', params: (s) => ({ id: s.epi.traceId }), body: (s) => ({ personIds: [s.epi.persons[3]!.id] }),
  },
};
