/**
 * Checkpoint poster tokens (issue 2 §5): 24 random bytes, base64url (32 characters, 192 bits),
 * unguessable and revocable. A checkpoint has at most one active token (unique partial index
 * `checkpoint_tokens_active`); reissuing revokes the old one, which stays to answer "revoked".
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

/** Bytes of randomness in a token. */
export const TOKEN_BYTES = 24;
/** What can be a token (new ones are 32 base64url characters; the table allows ≥ 20). Anything else is rejected without a query. */
export const TOKEN_RE = /^[A-Za-z0-9_-]{20,64}$/;

/** A fresh token: 24 random bytes as base64url (32 characters). */
export function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/**
 * Revoke the checkpoint's active token (if any) and issue a new one, in the caller's transaction.
 * @returns the new token.
 */
export async function issueToken(db: Kysely<DB> | Transaction<DB>, checkpointId: string, now = new Date()): Promise<string> {
  await db.updateTable('checkpoint_tokens').set({ revoked_at: now })
    .where('checkpoint_id', '=', checkpointId).where('revoked_at', 'is', null).execute();
  const token = newToken();
  await db.insertInto('checkpoint_tokens').values({ token, checkpoint_id: checkpointId, issued_at: now }).execute();
  return token;
}
