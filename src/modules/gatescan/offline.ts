/**
 * What the server records for a scan an offline gate decided (issue 3 §4: the gate "applies the last
 * synced status of each person"). The gate's decision stands, except where the server knows the
 * facts the gate had or measured:
 * - the reading is a fact: entering at or above FEVER_THRESHOLD_C is a fever refusal (alert, fever
 *   pending) whatever the gate said; a gate's 'fever' with a reading below it is a plain refusal.
 * - the person's status at this account's last sync of this checkpoint before the scan (the audit
 *   row 'gate.sync'): a pass of a person barred then is recorded as the refusal the gate made or
 *   should have made. So a guard cannot overrule an online refusal by sending the scan as offline.
 * - a token refusal the server's own verification does not confirm is a plain refusal.
 * - a scan made after its checkpoint was closed is not recorded as a check-in.
 */
import { sql } from 'kysely';
import type { AppContext } from '../../context';
import type { Bilingual } from '../../lib/errors';
import { decide, isTokenRefusal, type PresetDecision } from '../checkin/rules';
import { BARRING_STATUSES, STATUS_LABELS, isPersonStatus } from '../status/service';
import { localReasonText } from './rules';

export interface OfflineScan {
  staffId: string;
  checkpointId: string;
  communityCode: string;
  personId: string;
  direction: 'in' | 'out';
  /** The guard's reading, °C (null when none). */
  temperature: number | null;
  /** What the gate decided. */
  local: { outcome: 'pass' | 'refused'; reasonCode: string | null };
  /** The scan's moment by the server's clock. */
  at: Date;
}

const NORMAL = { status: 'normal', statusLabel: STATUS_LABELS.normal, statusReason: '' };

/**
 * The decision to record for an offline scan whose token the server verified (rules above).
 * @returns a preset for the check-in service (checkin/rules.ts presetDecision).
 */
export async function offlineDecision(ctx: AppContext, s: OfflineScan): Promise<PresetDecision> {
  const fever = decide(NORMAL, s.direction, s.temperature, [], ctx.config);
  if (fever.refusal === 'fever') return { outcome: 'refused', refusal: 'fever', reason: fever.reason! };
  const code = s.local.reasonCode ?? 'gate_refused';
  if (s.local.outcome === 'refused') {
    if (code === 'fever') {
      const t = s.temperature === null ? '—' : `${s.temperature.toFixed(1)}`;
      return { outcome: 'refused', refusal: 'gate_refused', reason: {
        zh: `卡点离线时判为发热，但记录的体温 ${t}℃ 未达发热标准（≥${ctx.config.FEVER_THRESHOLD_C}℃）`,
        en: `Refused as a fever by the gate while offline, but the recorded reading ${t} °C is below the fever threshold (≥ ${ctx.config.FEVER_THRESHOLD_C} °C)`,
      } };
    }
    if (isTokenRefusal(code)) {
      return { outcome: 'refused', refusal: 'gate_refused', reason: {
        zh: `卡点离线核验未通过（${localReasonText(code).zh}），但此码经服务器核验有效`,
        en: `Refused by the gate while offline (${localReasonText(code).en}), but the server found the code valid`,
      } };
    }
    const synced = await statusAtLastSync(ctx, s);
    const barred = synced && decide(synced, s.direction, null, BARRING_STATUSES, ctx.config);
    if (code === 'status_barred' && barred && barred.refusal === 'status_barred') return { outcome: 'refused', refusal: code, reason: barred.reason! };
    return { outcome: 'refused', refusal: code, reason: localReasonText(code) };
  }
  const synced = await statusAtLastSync(ctx, s);
  if (synced) {
    const d = decide(synced, s.direction, null, BARRING_STATUSES, ctx.config);
    if (d.refusal === 'status_barred') return { outcome: 'refused', refusal: 'status_barred', reason: d.reason! };
  }
  return { outcome: 'pass', refusal: null, reason: null };
}

/**
 * The person's status as of this account's last sync of this checkpoint at or before the scan
 * (null when the account never synced it then: the server cannot know what the gate had).
 */
async function statusAtLastSync(ctx: AppContext, s: OfflineScan): Promise<{ status: string; statusLabel: Bilingual; statusReason: string } | null> {
  const r = await sql<{ synced: Date | null; status: string | null; reason: string | null }>`
    WITH sync AS (
      SELECT max(a.at) AS at FROM audit_log a
      WHERE a.action = 'gate.sync' AND a.actor_id = ${s.staffId} AND a.area_code = ${s.communityCode}
        AND a.detail->>'checkpointId' = ${s.checkpointId} AND a.at <= ${s.at})
    SELECT sync.at AS synced, h.status, h.reason FROM sync
    LEFT JOIN LATERAL (SELECT status, reason FROM person_status_history
      WHERE person_id = ${s.personId} AND at <= sync.at ORDER BY at DESC, id DESC LIMIT 1) h ON true`.execute(ctx.db);
  const row = r.rows[0];
  if (!row?.synced) return null;
  const status = row.status && isPersonStatus(row.status) ? row.status : 'normal';
  return { status, statusLabel: STATUS_LABELS[status], statusReason: row.reason ?? '' };
}

/**
 * When a checkpoint stopped taking check-ins (its own or its place's disabling), or null when open.
 */
export async function closedSince(ctx: AppContext, checkpointId: string): Promise<Date | null> {
  const row = await ctx.db.selectFrom('checkpoints as c').innerJoin('places as p', 'p.id', 'c.place_id')
    .select(['c.disabled_at as cd', 'p.disabled_at as pd']).where('c.id', '=', checkpointId).executeTakeFirst();
  const times = [row?.cd, row?.pd].filter((t): t is Date => t instanceof Date);
  return times.length ? new Date(Math.min(...times.map((t) => t.getTime()))) : null;
}
