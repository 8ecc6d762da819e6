/**
 * JSON calls of the gate page. The staff session is the console's httpOnly cookie (same origin);
 * the `lang` cookie makes the server answer reasons and errors in the page's language. Never
 * cached by the browser (`no-store`); the service worker passes /api/* straight to the network.
 */

/** A refusal the server answered: `{error: {code, message}}` (or `http_<status>` without that shape). */
export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string) {
    super(message);
  }
  /** Worth retrying the same request later (overloaded or failing server, rate limit). */
  get retryable(): boolean {
    return this.status >= 500 || this.status === 429 || this.status === 408;
  }
}

/** No answer at all: offline, DNS, refused connection, timeout. */
export class NetworkError extends Error {}

/** Milliseconds before a request is given up as a network error (a gate must not hang). */
export const TIMEOUT_MS = 15_000;

/**
 * Calls `path` with an optional JSON body; returns the parsed answer.
 * @throws NetworkError when no HTTP answer arrives within TIMEOUT_MS
 * @throws ApiError for a non-2xx answer
 */
export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const ctrl = new AbortController();
  const timer = setTimeout(() => ctrl.abort(), TIMEOUT_MS);
  let res: Response;
  try {
    res = await fetch(path, {
      method, credentials: 'same-origin', cache: 'no-store', signal: ctrl.signal,
      headers: body === undefined ? { accept: 'application/json' } : { accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
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
  const e = (data as { error?: { code?: string; message?: string } } | null)?.error;
  throw new ApiError(res.status, e?.code ?? `http_${res.status}`, e?.message ?? `HTTP ${res.status}`);
}
