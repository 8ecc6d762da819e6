import { afterEach, describe, expect, it, vi } from 'vitest';
import { api, ApiError, dispositionName, onUnauthorized, qs, toApiError } from './api';

afterEach(() => { vi.unstubAllGlobals(); onUnauthorized(null); });

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('qs', () => {
  it('drops empty values and encodes the rest', () => {
    expect(qs({ a: '1', b: '', c: undefined, d: null, e: 0, q: '张 三' })).toBe('?a=1&e=0&q=%E5%BC%A0+%E4%B8%89');
    expect(qs({ a: '' })).toBe('');
  });
});

describe('server errors', () => {
  it('carry the server message, code, field errors and details unchanged', async () => {
    const e = await toApiError(json(400, { error: { code: 'invalid_input', message: '请检查：体温格式不正确', fields: [{ field: 'temperature', message: '体温格式不正确' }], details: { errors: [{ line: 3 }] } } }));
    expect(e).toBeInstanceOf(ApiError);
    expect([e.status, e.code, e.message]).toEqual([400, 'invalid_input', '请检查：体温格式不正确']);
    expect(e.fields[0]!.field).toBe('temperature');
    expect(e.details).toEqual({ errors: [{ line: 3 }] });
  });
  it('say something useful for a bare gateway error', async () => {
    const e = await toApiError(new Response('<html>bad gateway</html>', { status: 502 }));
    expect(e.status).toBe(502);
    expect(e.message).toContain('502');
  });
});

describe('api()', () => {
  it('sends JSON with the language and reports a 401 outside sign-in as an ended session', async () => {
    const fetch = vi.fn().mockResolvedValue(json(401, { error: { code: 'unauthorized', message: '请先登录' } }));
    vi.stubGlobal('fetch', fetch);
    const ended = vi.fn();
    onUnauthorized(ended);
    await expect(api('POST', '/api/alerts/x/ack', {})).rejects.toMatchObject({ status: 401, message: '请先登录' });
    expect(ended).toHaveBeenCalledTimes(1);
    const [, init] = fetch.mock.calls[0]!;
    expect(init.headers['content-type']).toBe('application/json');
    expect(init.headers['accept-language']).toBe('zh-CN');
    expect(init.body).toBe('{}');
  });
  it('does not end the session for a wrong password at sign-in', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(json(401, { error: { code: 'bad_credentials', message: '用户名或密码错误' } })));
    const ended = vi.fn();
    onUnauthorized(ended);
    await expect(api('POST', '/api/staff/login', { username: 'a', password: 'b' })).rejects.toMatchObject({ code: 'bad_credentials' });
    expect(ended).not.toHaveBeenCalled();
  });
  it('turns a network failure into status 0 with a message', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    await expect(api('GET', '/api/staff/me')).rejects.toMatchObject({ status: 0, code: 'network' });
  });
});

describe('dispositionName', () => {
  it('prefers the RFC 5987 name', () => {
    expect(dispositionName(`attachment; filename="a.csv"; filename*=UTF-8''%E9%80%9A%E8%A1%8C.csv`)).toBe('通行.csv');
    expect(dispositionName('attachment; filename="checkins-4108.xlsx"')).toBe('checkins-4108.xlsx');
    expect(dispositionName(null)).toBeNull();
  });
});
