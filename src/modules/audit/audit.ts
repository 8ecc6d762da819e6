/**
 * The audit log: every read of a person's record, every export, every status change and every
 * device binding is written here (SPEC "Rules": personal data). Residents see who read their record.
 */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/schema';

export interface Actor {
  kind: 'staff' | 'resident' | 'system';
  id: string | null;
  role: string | null;
  name: string | null;
}

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: null, role: 'system', name: '系统' };

export interface AuditEntry {
  action: string; // e.g. 'person.read', 'checkins.export', 'device.bind'
  personId?: string | null;
  areaCode?: string | null;
  detail?: Record<string, unknown>;
}

/** Append one or more audit rows in the caller's transaction (or on its own). */
export async function audit(db: Kysely<DB> | Transaction<DB>, actor: Actor, ...entries: AuditEntry[]) {
  if (entries.length === 0) return;
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        actor_kind: actor.kind,
        actor_id: actor.id,
        actor_role: actor.role,
        actor_name: actor.name,
        action: e.action,
        person_id: e.personId ?? null,
        area_code: e.areaCode ?? null,
        detail: JSON.stringify(e.detail ?? {}),
      })),
    )
    .execute();
}
