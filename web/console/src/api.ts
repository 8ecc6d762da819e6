/**
 * The console's HTTP client. Every call is JSON over same-origin fetch with the staff session
 * cookie; the server answers refusals as `{error: {code, message, fields?}}` with the message
 * already in the caller's language, which `ApiError.message` carries unchanged for display.
 * A 401 on any call but sign-in ends the session in the UI (see session.tsx).
 */
import { currentLang } from './i18n';

export interface FieldError { field: string; message: string }

/** A refused or failed request; `message` is ready to show. status 0 = network failure. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldError[] = [],
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

let unauthorizedHandler: (() => void) | null = null;
/** Called once by the session provider: what to do when the server says the session is gone. */
export function onUnauthorized(fn: (() => void) | null) { unauthorizedHandler = fn; }

const zhEn = (zh: string, en: string) => (currentLang() === 'zh' ? zh : en);

/** Query string from an object; empty/undefined/null values are left out. Starts with '?' or is ''. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, String(v));
  const s = u.toString();
  return s ? `?${s}` : '';
}

/** Turn a non-OK response into an ApiError (reads the JSON error body when there is one). */
export async function toApiError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try { body = await res.json(); } catch { /* not JSON */ }
  const e = (body as { error?: { code?: string; message?: string; fields?: FieldError[]; details?: Record<string, unknown> } } | null)?.error;
  if (e?.message) return new ApiError(res.status, e.code ?? 'error', e.message, e.fields ?? [], e.details);
  if (res.status === 404) return new ApiError(404, 'not_found', zhEn('接口不存在或记录未找到', 'Not found'));
  if (res.status === 413) return new ApiError(413, 'too_large', zhEn('提交的内容过大', 'Request too large'));
  if (res.status === 429) return new ApiError(429, 'rate_limited', zhEn('操作过于频繁，请稍后再试', 'Too many requests, try again later'));
  return new ApiError(res.status, 'http_' + res.status, zhEn(`服务器错误（${res.status}），请稍后重试`, `Server error (${res.status}), please retry`));
}

function networkError(): ApiError {
  return new ApiError(0, 'network', zhEn('网络连接失败，请检查网络后重试', 'Network error: check the connection and retry'));
}

const langHeader = () => ({ 'accept-language': currentLang() === 'zh' ? 'zh-CN' : 'en' });

/**
 * fetch with the session cookie; a network failure or a non-2xx answer becomes an ApiError, and a
 * 401 (except on sign-in itself) tells the app the session ended.
 */
async function send(path: string, init: RequestInit): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(path, { ...init, credentials: 'same-origin' });
  } catch {
    throw networkError();
  }
  if (!res.ok) {
    const err = await toApiError(res);
    if (res.status === 401 && !path.startsWith('/api/staff/login') && unauthorizedHandler) unauthorizedHandler();
    throw err;
  }
  return res;
}

/**
 * Send a request. `body` is sent as JSON unless it is FormData/Blob.
 * @throws ApiError on network failure or any non-2xx answer.
 */
export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { ...langHeader(), accept: 'application/json' };
  let payload: BodyInit | undefined;
  if (body instanceof FormData || body instanceof Blob) payload = body;
  else if (body !== undefined) { headers['content-type'] = 'application/json'; payload = JSON.stringify(body); }
  const res = await send(path, { method, headers, body: payload });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/**
 * Upload a file's raw bytes (spreadsheet imports): content-type application/octet-stream, the
 * original name in `?filename=` (the server detects the format from the content).
 * @throws ApiError as `api()`; refusals of a whole file carry `details.errors` per row.
 */
export async function upload<T = unknown>(path: string, file: Blob & { name?: string }, params: Record<string, string> = {}): Promise<T> {
  const q = new URLSearchParams({ ...params, filename: file.name ?? 'upload' }).toString();
  const res = await send(`${path}?${q}`, {
    method: 'POST', body: file,
    headers: { 'content-type': 'application/octet-stream', ...langHeader(), accept: 'application/json' },
  });
  return (await res.json()) as T;
}

export const get = <T = unknown>(path: string) => api<T>('GET', path);
export const post = <T = unknown>(path: string, body?: unknown) => api<T>('POST', path, body ?? {});
export const patch = <T = unknown>(path: string, body?: unknown) => api<T>('PATCH', path, body ?? {});

/** File name from a Content-Disposition header (RFC 5987 `filename*` first), or null. */
export function dispositionName(header: string | null): string | null {
  if (!header) return null;
  const star = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  if (star) { try { return decodeURIComponent(star[1]!.trim()); } catch { /* fall through */ } }
  const plain = /filename\s*=\s*"?([^";]+)"?/.exec(header);
  return plain ? plain[1]!.trim() : null;
}

/**
 * Download a file (export, poster PDF) through fetch, so a refusal shows the server's message
 * instead of a broken file. Saves it under the server's file name, else `fallbackName`.
 * @throws ApiError as `api()`.
 */
export async function download(path: string, fallbackName: string, init?: { method?: string; body?: unknown }): Promise<void> {
  const res = await send(path, {
    method: init?.method ?? 'GET',
    headers: { ...langHeader(), ...(init?.body ? { 'content-type': 'application/json' } : {}) },
    body: init?.body ? JSON.stringify(init.body) : undefined,
  });
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = dispositionName(res.headers.get('content-disposition')) ?? fallbackName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Message to show for anything thrown (ApiError or a programming error). */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return zhEn('出现意外错误，请刷新页面重试', 'Unexpected error, reload the page and retry');
}
