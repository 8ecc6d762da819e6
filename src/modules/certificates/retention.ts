/**
 * Retention of health declarations (issue 6; Standards "retention limits enforced by code"): a
 * declaration closed for DECLARATION_RETENTION_DAYS is deleted with its steps and certificate.
 * Closed: refused (from its last change), issued or revoked (from the later of its last change and
 * its certificate's end of validity), or returned and never resubmitted (from its last change).
 * Open declarations are never purged. Runs as the scheduled job `declarations.retention` and in
 * `npx yiqu purge`; the count deleted is logged. The steps' append-only trigger lets only this
 * purge delete (migration 0015: `SET LOCAL yiqu.retention_purge = 'on'`).
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';

/** Declarations deleted per transaction: a backlog goes in batches (bind parameters stay far below PostgreSQL's 65,535). */
export const PURGE_BATCH = 2000;

/**
 * Delete the declarations past retention at `now`, PURGE_BATCH per transaction until none is left.
 * @returns how many declarations and certificates were deleted, and the cutoff instant.
 */
export async function purgeDeclarations(ctx: AppContext, now = new Date()): Promise<{ declarations: number; certificates: number; cutoff: Date }> {
  const cutoff = new Date(now.getTime() - ctx.config.DECLARATION_RETENTION_DAYS * 86_400_000);
  const out = { declarations: 0, certificates: 0 };
  for (;;) {
    const n = await purgeBatch(ctx, cutoff);
    out.declarations += n.declarations;
    out.certificates += n.certificates;
    if (n.declarations < PURGE_BATCH) break;
  }
  if (out.declarations) ctx.log.info({ ...out, cutoff }, 'declarations past retention deleted');
  return { ...out, cutoff };
}

async function purgeBatch(ctx: AppContext, cutoff: Date): Promise<{ declarations: number; certificates: number }> {
  return ctx.db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('declarations as d').leftJoin('certificates as c', 'c.declaration_id', 'd.id')
      .select(['d.id', 'c.id as certificate_id'])
      .where((eb) => eb.or([
        eb.and([eb('d.state', 'in', ['refused', 'returned']), eb('d.updated_at', '<', cutoff)]),
        eb.and([eb('d.state', 'in', ['issued', 'revoked']), eb('d.updated_at', '<', cutoff),
          eb.or([eb('c.id', 'is', null), eb('c.not_after', '<', cutoff)])]),
      ])).limit(PURGE_BATCH).execute();
    if (rows.length === 0) return { declarations: 0, certificates: 0 };
    const ids = rows.map((r) => r.id);
    const certs = rows.map((r) => r.certificate_id).filter((c): c is string => c !== null);
    await sql`SET LOCAL yiqu.retention_purge = 'on'`.execute(trx);
    await trx.deleteFrom('declaration_steps').where('declaration_id', 'in', ids).execute();
    if (certs.length) await trx.deleteFrom('certificates').where('id', 'in', certs).execute();
    await trx.deleteFrom('declarations').where('id', 'in', ids).execute();
    return { declarations: ids.length, certificates: certs.length };
  });
}

/** The scheduled job (registered by ./routes.ts). */
export const DECLARATION_RETENTION_JOB = {
  name: 'declarations.retention',
  run: (ctx: AppContext, now: Date) => purgeDeclarations(ctx, now).then(() => undefined),
};
