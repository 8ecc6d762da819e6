/** The certificate workflow (SPEC S6 "Steps", issue 6 §2) and validity (issue 6 §3: ±1 s, China time). */
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { verifyTokenWith } from '../tokens/verify-core';
import {
  ACTION_ROLES, availableActions, isValidAt, nextState, progress, validity, WorkflowError,
  type ActionType, type ActorRole, type Assessment, type DeclarationState, type WorkflowAction,
} from './workflow';

const fit: Assessment = { temperatureC: 36.6, cough: false, chestTightness: false, otherSymptoms: '', conclusion: 'fit' };
const A: Record<ActionType, WorkflowAction> = {
  submit: { type: 'submit' }, resubmit: { type: 'resubmit' }, verify_residence: { type: 'verify_residence' },
  return: { type: 'return', reason: '居住地址与登记不符' }, assess: { type: 'assess', assessment: fit },
  sign: { type: 'sign' }, issue: { type: 'issue' }, refuse: { type: 'refuse', reason: '申请人已转为医学观察' }, revoke: { type: 'revoke', reason: '虚假申报' },
};
/** A role allowed for each action. */
const ROLE: Record<ActionType, ActorRole> = {
  submit: 'resident', resubmit: 'resident', verify_residence: 'info_officer', return: 'info_officer',
  assess: 'community_doctor', sign: 'chief_doctor', issue: 'system', refuse: 'chief_doctor', revoke: 'chief_doctor',
};
const ALL_ROLES: ActorRole[] = ['resident', 'system', 'admin', 'city_command', 'district_command', 'street_office', 'community_worker',
  'info_officer', 'community_doctor', 'chief_doctor', 'police', 'counsellor', 'place_manager', 'guard', 'enterprise', 'industry_authority'];

/** The error `fn` throws (fails the test when it throws none, or not a WorkflowError). */
function caught(fn: () => unknown): WorkflowError {
  try { fn(); } catch (e) {
    expect(e).toBeInstanceOf(WorkflowError);
    return e as WorkflowError;
  }
  throw new Error('expected a WorkflowError');
}
const step = (s: DeclarationState | null, t: ActionType, role: ActorRole = ROLE[t]) => nextState(s, A[t], role);

describe('nextState: transitions', () => {
  it('submit → verify → assess fit → sign → issue → revoke', () => {
    expect(step(null, 'submit')).toBe('submitted');
    expect(step('submitted', 'verify_residence')).toBe('residence_verified');
    expect(step('residence_verified', 'assess')).toBe('assessed');
    expect(step('assessed', 'sign')).toBe('signed');
    expect(step('signed', 'issue')).toBe('issued');
    expect(step('issued', 'revoke')).toBe('revoked');
  });

  it('returned with a reason, resubmitted by the applicant, verified', () => {
    expect(step('submitted', 'return')).toBe('returned');
    expect(step('returned', 'resubmit')).toBe('submitted');
    expect(step('returned', 'resubmit', 'community_doctor')).toBe('submitted'); // staff for an offline applicant
  });

  it('unfit ends the application as refused; nothing can follow', () => {
    expect(nextState('residence_verified', { type: 'assess', assessment: { ...fit, cough: true, chestTightness: true, conclusion: 'unfit' } }, 'community_doctor')).toBe('refused');
    const e = caught(() => step('refused', 'sign'));
    expect([e.status, e.code]).toEqual([409, 'declaration_closed']);
  });

  it('center staff enter a declaration for someone who cannot apply online; the chief doctor may issue again', () => {
    expect(step(null, 'submit', 'community_doctor')).toBe('submitted');
    expect(step(null, 'submit', 'chief_doctor')).toBe('submitted');
    expect(step('signed', 'issue', 'chief_doctor')).toBe('issued');
  });
});

describe('nextState: wrong role is 403 declaration_wrong_role, checked before the state', () => {
  const cases = (Object.keys(ACTION_ROLES) as ActionType[]).flatMap((t) =>
    ALL_ROLES.filter((r) => !ACTION_ROLES[t].includes(r)).map((r) => [t, r] as const));
  it.each(cases)('%s by %s', (t, role) => {
    const state: Record<ActionType, DeclarationState | null> = {
      submit: null, resubmit: 'returned', verify_residence: 'submitted', return: 'submitted', assess: 'residence_verified',
      sign: 'assessed', issue: 'signed', refuse: 'assessed', revoke: 'issued',
    };
    const e = caught(() => step(state[t], t, role));
    expect([e.status, e.code]).toEqual([403, 'declaration_wrong_role']);
  });

  it('names who does the step', () => {
    expect(caught(() => step('assessed', 'sign', 'community_doctor')).messages).toEqual({ zh: '此步骤须由主检医生办理', en: 'This step is for the chief doctor' });
    expect(caught(() => step('residence_verified', 'assess', 'resident')).messages.zh).toBe('此步骤须由社区医生办理');
  });

  it('a wrong role at a wrong moment is still 403 (the state is not revealed)', () => {
    expect(caught(() => step('submitted', 'sign', 'community_doctor')).status).toBe(403);
    expect(caught(() => step(null, 'issue', 'resident')).status).toBe(403);
  });

  it('the doctor cannot verify residence and the information officer cannot assess', () => {
    expect(caught(() => step('submitted', 'verify_residence', 'community_doctor')).code).toBe('declaration_wrong_role');
    expect(caught(() => step('residence_verified', 'assess', 'info_officer')).code).toBe('declaration_wrong_role');
    expect(caught(() => step('signed', 'issue', 'community_doctor')).code).toBe('declaration_wrong_role');
  });
});

describe('nextState: order', () => {
  it.each([
    [null, 'verify_residence'], [null, 'return'], [null, 'assess'], [null, 'sign'], [null, 'issue'],
    ['submitted', 'assess'], ['submitted', 'sign'], ['submitted', 'issue'],
    ['residence_verified', 'sign'], ['residence_verified', 'issue'],
    ['assessed', 'issue'],
  ] as const)('from %s, %s skips a step: 409 declaration_step_skipped', (s, t) => {
    const e = caught(() => step(s, t));
    expect([e.status, e.code]).toEqual([409, 'declaration_step_skipped']);
  });

  it('the skip message names the step that comes first', () => {
    expect(caught(() => step('residence_verified', 'sign')).messages.zh).toBe('不能跳过步骤：请先完成“社区医生健康评估”');
    expect(caught(() => step('submitted', 'issue')).messages.en).toContain('residence verification');
  });

  it.each([
    ['submitted', 'submit'], ['residence_verified', 'verify_residence'], ['residence_verified', 'return'], ['assessed', 'assess'],
    ['assessed', 'verify_residence'], ['signed', 'sign'], ['signed', 'assess'], ['returned', 'submit'],
  ] as const)('from %s, %s was already taken: 409 declaration_step_done', (s, t) => {
    const e = caught(() => step(s, t));
    expect([e.status, e.code]).toEqual([409, 'declaration_step_done']);
  });

  it('a returned application waits for the applicant', () => {
    for (const t of ['verify_residence', 'return', 'assess', 'sign', 'issue'] as const) {
      expect(caught(() => step('returned', t)).code).toBe('declaration_awaiting_applicant');
    }
  });

  it('resubmit only after a return', () => {
    for (const s of [null, 'submitted', 'residence_verified', 'assessed', 'signed'] as const) {
      expect(caught(() => step(s, 'resubmit')).code).toBe('declaration_not_returned');
    }
  });

  it('issued, refused and revoked are closed', () => {
    for (const s of ['issued', 'refused', 'revoked'] as const) {
      for (const t of ['submit', 'resubmit', 'verify_residence', 'assess', 'sign', 'issue'] as const) {
        expect(caught(() => step(s, t)).code).toBe('declaration_closed');
      }
    }
  });

  it('only an issued certificate can be revoked, once', () => {
    expect(caught(() => step('signed', 'revoke')).code).toBe('declaration_not_issued');
    expect(caught(() => step(null, 'revoke')).code).toBe('declaration_not_issued');
    expect(caught(() => step('revoked', 'revoke')).code).toBe('declaration_closed');
    expect(step('issued', 'revoke', 'district_command')).toBe('revoked');
  });

  it('an unknown action is 400', () => {
    expect(caught(() => nextState('submitted', { type: 'approve' } as unknown as WorkflowAction, 'info_officer')).code).toBe('declaration_action_unknown');
  });
});

describe('nextState: data of a step', () => {
  it('a return and a revocation need a reason of 1 to 300 characters', () => {
    for (const reason of ['', '   ', 'x'.repeat(301)]) {
      expect(caught(() => nextState('submitted', { type: 'return', reason }, 'info_officer')).code).toBe('declaration_reason_invalid');
      expect(caught(() => nextState('issued', { type: 'revoke', reason }, 'chief_doctor')).code).toBe('declaration_reason_invalid');
    }
    expect(nextState('submitted', { type: 'return', reason: '𠈌'.repeat(300) }, 'info_officer')).toBe('returned'); // characters, not UTF-16 units
  });

  const assess = (a: Partial<Assessment>) => () => nextState('residence_verified', { type: 'assess', assessment: { ...fit, ...a } }, 'community_doctor');
  it('temperature within 34.0–42.5 °C', () => {
    expect(caught(assess({ temperatureC: 33.9, conclusion: 'unfit' })).code).toBe('assessment_invalid');
    expect(caught(assess({ temperatureC: 42.6, conclusion: 'unfit' })).code).toBe('assessment_invalid');
    expect(caught(assess({ temperatureC: Number.NaN })).code).toBe('assessment_invalid');
    expect(assess({ temperatureC: 34.0 })()).toBe('assessed');
  });
  it('fit with a fever (≥ 37.3 °C) is inconsistent; unfit with a fever is refused; 37.2 is fit', () => {
    expect(caught(assess({ temperatureC: 37.3 })).code).toBe('assessment_fever_fit');
    expect(assess({ temperatureC: 37.3, conclusion: 'unfit' })()).toBe('refused');
    expect(assess({ temperatureC: 37.2 })()).toBe('assessed');
    expect(nextState('residence_verified', { type: 'assess', assessment: { ...fit, temperatureC: 37.3 } }, 'community_doctor',
      { feverThresholdC: 37.5, tempMinC: 34, tempMaxC: 42.5 })).toBe('assessed');
  });
  it('other symptoms at most 200 characters, a conclusion required', () => {
    expect(caught(assess({ otherSymptoms: '乏力'.repeat(101) })).code).toBe('assessment_invalid');
    expect(caught(assess({ conclusion: 'maybe' as 'fit' })).code).toBe('assessment_invalid');
    expect(caught(assess({ cough: 'no' as unknown as boolean })).code).toBe('assessment_invalid');
  });
});

describe('availableActions and progress', () => {
  it('the chief doctor refuses (不予出具) only an assessed or signed application, with a reason', () => {
    expect(step('assessed', 'refuse', 'chief_doctor')).toBe('refused');
    expect(step('signed', 'refuse', 'chief_doctor')).toBe('refused');
    expect(caught(() => step('submitted', 'refuse', 'chief_doctor')).code).toBe('declaration_not_refusable');
    expect(caught(() => step('issued', 'refuse', 'chief_doctor')).code).toBe('declaration_closed');
    expect(caught(() => nextState('assessed', { type: 'refuse', reason: ' ' }, 'chief_doctor')).code).toBe('declaration_reason_invalid');
    expect(caught(() => step('assessed', 'refuse', 'community_doctor')).status).toBe(403);
  });

  it('takes temperatures to one decimal place, as thermometers show them', () => {
    const at = (temperatureC: number) => () => nextState('residence_verified', { type: 'assess', assessment: { ...fit, temperatureC } }, 'community_doctor');
    expect(at(36.5)()).toBe('assessed');
    expect(caught(at(37.29)).code).toBe('assessment_invalid');
  });

  it('offers each role only its next step', () => {
    expect(availableActions('submitted', 'info_officer')).toEqual(['verify_residence', 'return']);
    expect(availableActions('submitted', 'community_doctor')).toEqual([]);
    expect(availableActions('returned', 'resident')).toEqual(['resubmit']);
    expect(availableActions('signed', 'chief_doctor')).toEqual(['issue', 'refuse']);
    expect(availableActions('assessed', 'chief_doctor')).toEqual(['sign', 'refuse']);
    expect(availableActions('residence_verified', 'chief_doctor')).toEqual([]);
    expect(availableActions('issued', 'chief_doctor')).toEqual(['revoke']);
    expect(availableActions(null, 'resident')).toEqual(['submit']);
  });

  it('shows the resident where the application stands', () => {
    const s = (st: DeclarationState) => progress(st).map((p) => p.state);
    expect(s('submitted')).toEqual(['done', 'current', 'pending', 'pending', 'pending']);
    expect(s('returned')).toEqual(['done', 'failed', 'pending', 'pending', 'pending']);
    expect(s('assessed')).toEqual(['done', 'done', 'done', 'current', 'pending']);
    expect(s('refused')).toEqual(['done', 'done', 'failed', 'pending', 'pending']);
    expect(s('issued')).toEqual(['done', 'done', 'done', 'done', 'done']);
  });
});

describe('validity: 5 days from issue, China time shown', () => {
  const issued = new Date('2020-02-10T01:30:00.400Z'); // 09:30:00 China time
  const v = validity(issued, 5);
  const plus = (ms: number) => new Date(v.notAfter.getTime() + ms);

  it('valid at issue + 5 days − 1 s, expired at + 5 days and + 5 days + 1 s', () => {
    expect(v.notBefore.toISOString()).toBe('2020-02-10T01:30:00.000Z');
    expect(v.notAfter.toISOString()).toBe('2020-02-15T01:30:00.000Z');
    expect(isValidAt(v, plus(-1000))).toBe(true);
    expect(isValidAt(v, plus(0))).toBe(false);
    expect(isValidAt(v, plus(1000))).toBe(false);
    expect(isValidAt(v, v.notBefore)).toBe(true);
    expect(isValidAt(v, new Date(v.notBefore.getTime() - 1000))).toBe(false);
  });

  it('China time strings for display', () => {
    expect([v.notBeforeChina, v.notAfterChina]).toEqual(['2020-02-10 09:30:00', '2020-02-15 09:30:00']);
    expect(v.display.zh).toBe('有效期：2020-02-10 09:30:00 至 2020-02-15 09:30:00（北京时间）');
  });

  it('China midnight: 23:59:59 stays on the day, 00:00:00 is the next day', () => {
    const late = validity(new Date('2020-02-10T15:59:59Z'), 5);
    expect([late.notBeforeChina, late.notAfterChina]).toEqual(['2020-02-10 23:59:59', '2020-02-15 23:59:59']);
    const midnight = validity(new Date('2020-02-10T16:00:00Z'), 5);
    expect([midnight.notBeforeChina, midnight.notAfterChina]).toEqual(['2020-02-11 00:00:00', '2020-02-16 00:00:00']);
    expect(validity(new Date('2020-02-26T16:00:00Z'), 3).notAfterChina).toBe('2020-03-01 00:00:00'); // across 02-29
  });

  it('follows CERT_VALID_DAYS and refuses nonsense', () => {
    expect(validity(issued, 1).notAfter.toISOString()).toBe('2020-02-11T01:30:00.000Z');
    expect(() => validity(issued, 0)).toThrow(RangeError);
    expect(() => validity(issued, 2.5)).toThrow(RangeError);
    expect(() => validity(new Date('nope'), 5)).toThrow(RangeError);
  });

  // The certificate's token carries iat = notBefore, exp = notAfter. verifyTokenWith tolerates 5 s of
  // clock error by default: the ±1 s acceptance holds only when the certificate check passes toleranceS 0.
  // ('card' stands in for the certificate kind, which the tokens module does not have yet.)
  it('a token with exp = notAfter agrees with isValidAt only without clock tolerance', async () => {
    const { publicKey, privateKey } = await generateKeyPair('ES256', { extractable: true });
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'k1', alg: 'ES256' }] };
    const iat = v.notBefore.getTime() / 1000;
    const exp = v.notAfter.getTime() / 1000;
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'ES256', kid: 'k1', typ: 'yq-card' })
      .setSubject('p1').setIssuedAt(iat).setExpirationTime(exp).sign(privateKey);
    const check = (nowS: number, toleranceS?: number) => verifyTokenWith(token, { expect: 'card', jwks, nowS, toleranceS })
      .then(() => 'valid', (e: { code: string }) => e.code);
    expect(await check(exp - 1, 0)).toBe('valid');
    expect(await check(exp + 1, 0)).toBe('token_expired');
    expect(await check(exp + 1)).toBe('valid'); // the default 5 s tolerance: the certificate must not use it
  });
});
