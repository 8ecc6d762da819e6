/** Configuration validation (src/config.ts): the https pair for LAN testing (issue 3 §4). */
import { describe, expect, it } from 'vitest';
import { loadConfig, publicUrlProblem } from './config';

describe('loadConfig: HTTPS_CERT / HTTPS_KEY', () => {
  it('are optional, and taken together', () => {
    expect(loadConfig({}).HTTPS_CERT).toBeUndefined();
    expect(loadConfig({ HTTPS_CERT: 'data/dev-cert/cert.pem', HTTPS_KEY: 'data/dev-cert/key.pem' })).toMatchObject({
      HTTPS_CERT: 'data/dev-cert/cert.pem', HTTPS_KEY: 'data/dev-cert/key.pem',
    });
  });
  it('one without the other stops the start with a message naming the variable', () => {
    expect(() => loadConfig({ HTTPS_CERT: 'cert.pem' })).toThrow(/HTTPS_KEY: HTTPS_CERT and HTTPS_KEY must be set together/);
    expect(() => loadConfig({ HTTPS_KEY: 'key.pem' })).toThrow(/HTTPS_KEY/);
  });
});

describe('loadConfig: numbers', () => {
  it('a setting that is not a number is named, with what was given', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT: must be a number, got "abc"/);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT: /);
    expect(loadConfig({ PORT: '3999' }).PORT).toBe(3999);
    expect(loadConfig({ PORT: ' ' }).PORT).toBe(3000); // blank is unset, not port 0 (a random port)
  });
});

describe('publicUrlProblem', () => {
  it('says when printed codes would not open on a phone', () => {
    expect(publicUrlProblem(loadConfig({}).PUBLIC_URL)).toBe('loopback'); // the default http://localhost:3000
    for (const u of ['http://127.0.0.1:3000', 'https://localhost', 'http://[::1]:8080', 'https://app.localhost']) expect(publicUrlProblem(u)).toBe('loopback');
    expect(publicUrlProblem('http://yiqu.jiaozuo.gov.cn')).toBe('not_https');
    expect(publicUrlProblem('https://yiqu.jiaozuo.gov.cn')).toBeNull();
  });
});
