/**
 * What a scanned Yiqu code is, read in the browser without verifying it (issue 3 §1): the QR of a
 * checkpoint's rotating screen code is `PUBLIC_URL/v#<token>`, so a phone camera opens the resident
 * page, which routes by the token's `typ` header (src/modules/tokens/verify-core.ts TOKEN_TYP).
 * The token rides in the URL fragment, which browsers never send to the server. Pure functions.
 */

/**
 * Kinds of code this page tells apart: a checkpoint's screen code, a personal code (pass or card),
 * a health declaration certificate (健康申报证明, issue 6), anything else.
 */
export type CodeKind = 'checkpoint' | 'personal' | 'certificate' | 'unknown';

/** Longest token accepted from a fragment (the server refuses longer ones too). */
export const MAX_TOKEN_LENGTH = 4096;

/**
 * The token in a location fragment ('#<token>' or '<token>'), percent-decoding it when a browser or
 * chat app escaped it, or '' when there is none.
 */
export function tokenFromFragment(hash: string): string {
  let s = hash.startsWith('#') ? hash.slice(1) : hash;
  if (s.includes('%')) {
    try { s = decodeURIComponent(s); } catch { /* keep as received */ }
  }
  s = s.trim();
  return s.length > MAX_TOKEN_LENGTH ? '' : s;
}

/** Bytes of a base64url string as text (UTF-8), or null when it is not base64url. */
function base64urlText(part: string): string | null {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return null;
  const b64 = part.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (part.length % 4)) % 4);
  try {
    const bin = atob(b64);
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    return null;
  }
}

/** The `typ` of a compact JWS's protected header, decoded without verifying; null when it is not one. */
export function tokenTyp(token: string): string | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => p === '')) return null;
  const text = base64urlText(parts[0]);
  if (text === null) return null;
  try {
    const header = JSON.parse(text) as { typ?: unknown };
    return header && typeof header === 'object' && typeof header.typ === 'string' ? header.typ : null;
  } catch {
    return null;
  }
}

/** The payload claims of a compact JWS, decoded without verifying; null when it is not one. */
export function tokenClaims(token: string): Record<string, unknown> | null {
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  const text = base64urlText(parts[1]);
  if (text === null) return null;
  try {
    const v = JSON.parse(text) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? v as Record<string, unknown> : null;
  } catch {
    return null;
  }
}

/** Routes a token by its header: yq-cp → 'checkpoint', yq-pass / yq-card → 'personal', yq-cert → 'certificate', else 'unknown'. */
export function codeKind(token: string): CodeKind {
  const typ = tokenTyp(token);
  if (typ === 'yq-cp') return 'checkpoint';
  if (typ === 'yq-pass' || typ === 'yq-card') return 'personal';
  if (typ === 'yq-cert') return 'certificate';
  return 'unknown';
}

/** True for a signed checkpoint screen code (has dots), false for a static poster token. */
export function isScreenCode(token: string): boolean {
  return token.includes('.');
}
