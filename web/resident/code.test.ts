import { describe, expect, it } from 'vitest';
import { codeKind, isScreenCode, MAX_TOKEN_LENGTH, tokenClaims, tokenFromFragment, tokenTyp } from './code';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const jws = (header: Record<string, unknown>, payload: Record<string, unknown> = { sub: 'x' }) => `${b64url(header)}.${b64url(payload)}.c2ln`;

describe('codes read from /v#<token>', () => {
  it('takes the token from the fragment, percent-decoded when escaped, never an over-long one', () => {
    const tok = jws({ alg: 'ES256', kid: 'cp1', typ: 'yq-cp' });
    expect(tokenFromFragment(`#${tok}`)).toBe(tok);
    expect(tokenFromFragment(tok)).toBe(tok);
    expect(tokenFromFragment(`#${encodeURIComponent(tok).replace(/\./g, '%2E')}`)).toBe(tok);
    expect(tokenFromFragment('#%E0%A4%A')).toBe('%E0%A4%A'); // broken escape: kept, then refused as unknown
    expect(tokenFromFragment('')).toBe('');
    expect(tokenFromFragment('#')).toBe('');
    expect(tokenFromFragment(`#${'a'.repeat(MAX_TOKEN_LENGTH + 1)}`)).toBe('');
  });

  it('routes by the header typ without verifying: checkpoint screen code, personal code, anything else', () => {
    expect(codeKind(jws({ alg: 'ES256', kid: 'k', typ: 'yq-cp' }))).toBe('checkpoint');
    expect(codeKind(jws({ alg: 'ES256', kid: 'k', typ: 'yq-pass' }))).toBe('personal');
    expect(codeKind(jws({ alg: 'ES256', kid: 'k', typ: 'yq-card' }))).toBe('personal');
    expect(codeKind(jws({ alg: 'ES256', kid: 'k', typ: 'yq-cert' }, { sub: 'p', jti: 'c', nm: '王𠀀·阿依', idm: '410811********1234' }))).toBe('certificate');
    expect(codeKind(jws({ alg: 'ES256', kid: 'k', typ: 'YQ-CERT' }))).toBe('unknown');
    expect(codeKind(jws({ alg: 'ES256', kid: 'k', typ: 'JWT' }))).toBe('unknown');
    expect(codeKind(jws({ alg: 'ES256', kid: 'k' }))).toBe('unknown');
    expect(codeKind(jws({ alg: 'ES256', typ: 7 }))).toBe('unknown');
    for (const bad of ['', 'AbCdEfGhIjKlMnOpQrStUvWxYz012345', 'a.b', 'a..c', '!!!.e30.x', `${b64url('not an object')}.e30.x`,
      `${Buffer.from('{"typ":').toString('base64url')}.e30.x`, 'null.null.null']) {
      expect(codeKind(bad), bad).toBe('unknown');
    }
  });

  it('reads a header holding non-ASCII text as UTF-8', () => {
    expect(tokenTyp(jws({ typ: 'yq-cp', note: '卡点' }))).toBe('yq-cp');
  });

  it('reads a certificate\'s claims without verifying (full name in any Unicode), null for anything else', () => {
    const tok = jws({ alg: 'ES256', kid: 'k', typ: 'yq-cert' }, { sub: 'p', nm: '王𠀀·阿依', idm: '410811********1234' });
    expect(tokenClaims(tok)).toMatchObject({ nm: '王𠀀·阿依', idm: '410811********1234' });
    expect(tokenClaims('a.b')).toBeNull();
    expect(tokenClaims(`${b64url({})}.${b64url([1])}.x`)).toBeNull();
    expect(tokenClaims('x.!!!.y')).toBeNull();
  });

  it('tells a signed screen code from a static poster token', () => {
    expect(isScreenCode(jws({ typ: 'yq-cp' }))).toBe(true);
    expect(isScreenCode('AbCdEfGhIjKlMnOpQrStUvWxYz012345')).toBe(false);
  });
});
