/**
 * JSON calls to the resident API (/api/r/*). The device credential is an httpOnly cookie the
 * browser sends by itself; the `lang` cookie makes the server answer in the chosen language.
 */

/** One field-level problem, as the server reports it in `error.fields`. */
export interface FieldError {
  field: string;
  message: string;
}

interface ErrorBody {
  code?: string;
  message?: string;
  fields?: FieldError[];
  details?: Record<string, unknown>;
}

/** Field errors from `error.fields`, or from `error.details.fields` / `error.details.field`. */
function fieldsOf(e: ErrorBody | undefined): FieldError[] {
  const list = e?.fields ?? e?.details?.fields;
  if (Array.isArray(list)) return (list as FieldError[]).filter((f) => f && typeof f.field === 'string');
  const one = e?.details?.field;
  return typeof one === 'string' ? [{ field: one, message: e?.message ?? '' }] : [];
}

/** Whether `v` is a plain JSON object (not null, not an array). */
function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A refusal the server answered (4xx, or 5xx with a body): `{error: {code, message, fields?, details?}}`.
 * `details` is the server's `error.details` as sent ({} when absent), e.g. `possibleFrom` of an ineligibility.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number, readonly code: string, message: string, readonly fields: FieldError[] = [],
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
  /** Worth retrying with the same request (server overloaded or failing, rate-limited). */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** No answer at all: offline, DNS, timeout, connection reset. Always safe to retry. */
export class NetworkError extends Error {}

/** Milliseconds before a request is given up as a network error (a gate must not hang). */
export const TIMEOUT_MS = 15_000;

/**
 * Calls `path` with an optional JSON body and returns the parsed JSON answer (null for 204).
 * @throws NetworkError when no HTTP answer arrives within {@link TIMEOUT_MS}
 * @throws ApiError for a non-2xx answer (code 'http_<status>' when the body is not the error shape)
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const ctrl = typeof AbortController === 'function' ? new AbortController() : null;
  const timer = setTimeout(() => ctrl?.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, {
      method,
      credentials: 'same-origin',
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: ctrl?.signal,
      cache: 'no-store',
    });
  } catch {
    throw new NetworkError('network');
  } finally {
    clearTimeout(timer);
  }
  let data: unknown = null;
  try {
    const text = await res.text();
    data = text ? JSON.parse(text) : null;
  } catch {
    if (res.ok) throw new NetworkError('bad body');
  }
  if (res.ok) return data as T;
  const e = (data as { error?: ErrorBody } | null)?.error;
  throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `HTTP ${res.status}`, fieldsOf(e),
    isRecord(e?.details) ? e.details : {});
}

/**
 * A random idempotency key (128 bits, hex) for one tap of 进入/离开; reused on retry so a repeated
 * request never makes a second check-in. Uses crypto.getRandomValues, which unlike randomUUID also
 * exists on plain-http pages.
 */
export function newKey(): string {
  const b = new Uint8Array(16);
  if (typeof globalThis.crypto?.getRandomValues === 'function') crypto.getRandomValues(b);
  else for (let i = 0; i < 16; i++) b[i] = Math.floor(Math.random() * 256);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}
