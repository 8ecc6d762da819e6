/**
 * What the server records for a scan an offline gate decided (issue 3 §4: the gate "applies the last
 * synced status of each person"). The gate's decision stands, except where the server knows the
 * facts the gate had or measured:
 * - the reading is a fact: entering at or above FEVER_THRESHOLD_C is a fever refusal (alert, fever
 *   pending) whatever the gate said; a gate's 'fever' with a reading below it is a plain refusal.
 * - the person's status at this account's last sync of this checkpoint before the scan (the audit
 *   row 'gate.sync'; with no such sync, at the scan itself), or the barring status a pass code
 *   carried: a pass of a person barred then is recorded as the refusal the gate made or should have
 *   made. So a guard cannot overrule an online refusal by sending the scan as offline.
 * - a token refusal the server's own verification does not confirm is a plain refusal.
 * A scan made while its checkpoint was closed never gets here (service.ts, `closedAt` below).
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
  /** The status a pass code was issued with (its `st` claim), when it is one. */
  tokenStatus?: string;
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
  if (s.local.outcome === 'refused' && code === 'fever') {
    const c = ctx.config.FEVER_THRESHOLD_C;
    return { outcome: 'refused', refusal: 'gate_refused', reason: s.temperature === null ? {
      zh: '卡点离线时判为发热，但未记录体温', en: 'Refused as a fever by the gate while offline, with no reading recorded',
    } : {
      zh: `卡点离线时判为发热，但记录的体温 ${s.temperature.toFixed(1)}℃ 未达发热标准（≥${c}℃）`,
      en: `Refused as a fever by the gate while offline, but the recorded reading ${s.temperature.toFixed(1)} °C is below the fever threshold (≥ ${c} °C)`,
    } };
  }
  if (s.local.outcome === 'refused' && isTokenRefusal(code)) {
    return { outcome: 'refused', refusal: 'gate_refused', reason: {
      zh: `卡点离线核验未通过（${localReasonText(code).zh}），但此码经服务器核验有效`,
      en: `Refused by the gate while offline (${localReasonText(code).en}), but the server found the code valid`,
    } };
  }
  const had = await statusTheGateHad(ctx, s);
  const barred = decide(had, s.direction, null, BARRING_STATUSES, ctx.config);
  const asHad = barred.reason && {
    zh: `${barred.reason.zh}（${had.when === 'sync' ? '卡点同步时的状态' : '扫码时的状态'}）`,
    en: `${barred.reason.en} (${had.when === 'sync' ? 'as synced to the gate' : 'at the time of the scan'})`,
  };
  if (s.local.outcome === 'refused') {
    return { outcome: 'refused', refusal: code, reason: code === 'status_barred' && asHad ? asHad : localReasonText(code) };
  }
  if (asHad) return { outcome: 'refused', refusal: 'status_barred', reason: asHad };
  return { outcome: 'pass', refusal: null, reason: null };
}

interface HadStatus { status: string; statusLabel: Bilingual; statusReason: string; when: 'sync' | 'scan' }

/**
 * The status the gate had for the person: the register as of this account's last sync of this
 * checkpoint at or before the scan, or, when the account never synced it then (a gate cannot
 * verify offline without a sync: the claim is not believed), as of the scan itself. A pass code
 * carries the status it was issued with (`st`): a barring one counts too, the gate showed it.
 */
async function statusTheGateHad(ctx: AppContext, s: OfflineScan): Promise<HadStatus> {
  const r = await sql<{ synced: Date | null; status: string | null; reason: string | null }>`
    WITH sync AS (
      SELECT max(a.at) AS at FROM audit_log a
      WHERE a.action = 'gate.sync' AND a.actor_id = ${s.staffId} AND a.area_code = ${s.communityCode}
        AND a.detail->>'checkpointId' = ${s.checkpointId} AND a.at <= ${s.at})
    SELECT sync.at AS synced, h.status, h.reason FROM sync
    LEFT JOIN LATERAL (SELECT status, reason FROM person_status_history
      WHERE person_id = ${s.personId} AND at <= coalesce(sync.at, ${s.at}::timestamptz) ORDER BY at DESC, id DESC LIMIT 1) h ON true`.execute(ctx.db);
  const row = r.rows[0];
  const when = row?.synced ? 'sync' : 'scan';
  if (s.tokenStatus && isPersonStatus(s.tokenStatus) && BARRING_STATUSES.includes(s.tokenStatus)) {
    return { status: s.tokenStatus, statusLabel: STATUS_LABELS[s.tokenStatus], statusReason: '', when };
  }
  const status = row?.status && isPersonStatus(row.status) ? row.status : 'normal';
  return { status, statusLabel: STATUS_LABELS[status], statusReason: row?.reason ?? '', when };
}

/**
 * True when the checkpoint (or its whole place) was closed at `at`, even if reopened since
 * (the closures table, kept by triggers: migration 0017).
 */
export async function closedAt(ctx: AppContext, placeId: string, checkpointId: string, at: Date): Promise<boolean> {
  const row = await ctx.db.selectFrom('closures').select('id').where('place_id', '=', placeId)
    .where((eb) => eb.or([eb('checkpoint_id', 'is', null), eb('checkpoint_id', '=', checkpointId)]))
    .where('closed_at', '<=', at).where((eb) => eb.or([eb('reopened_at', 'is', null), eb('reopened_at', '>', at)]))
    .limit(1).executeTakeFirst();
  return !!row;
}
