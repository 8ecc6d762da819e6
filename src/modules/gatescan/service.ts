/**
 * The guard's scans of pass codes and cards (SPEC S2, issue 3 §3, §4): a gate device posts each scan
 * with an idempotency key it chose when scanning, online at once or queued while offline. Each key
 * lands exactly once (gate_scans, unique key; an in-memory lock per key for concurrent posts: one
 * server process per database, docs/ARCHITECTURE.md) and answers the same result when sent again.
 *
 * Rules (the decision itself is the check-in service's, src/modules/checkin/):
 * - every token is verified by the server at the scan's moment; nothing is recorded as a pass
 *   unless it verified. An unauthentic token (malformed, unknown key, bad signature, wrong type) is
 *   'rejected': no person is known, no check-in, but the scan is kept. An authentic but expired,
 *   revoked or not-yet-valid one is a refused check-in of its person with that reason.
 * - online, the server decides (status register, fever); offline, what the gate decided is recorded.
 * - a device clock off by more than CLOCK_SKEW_MAX_S has its scan times corrected and flagged.
 * - input the server cannot record (a temperature it cannot read, a closed checkpoint online) is
 *   'rejected' without being kept, so the gate may send it again corrected.
 */
import { decodeJwt, decodeProtectedHeader } from 'jose';
import type { AppContext } from '../../context';
import { AppError, type Bilingual } from '../../lib/errors';
import type { StaffUser } from '../staff/auth';
import { verifyToken, TOKEN_TYP, type TokenType } from '../tokens/service';
import { checkIn, type CheckpointInfo, type PersonResult } from '../checkin/service';
import { isTokenRefusal, type PresetDecision } from '../checkin/rules';
import { parseTemperature } from '../checkin/temperature';
import { insertScan, scansByKey, type GateScanRow, type NewGateScan } from './repository';
import { AUTHENTIC_REFUSALS, deviceClock, scanTimes, type DeviceClock, type ScanTimes } from './rules';
import { closedAt, offlineDecision } from './offline';
import { fingerprint, keyReused, sameScan, type Fingerprint } from './fingerprint';
import { linkGuardCheckin, twoWayOf, type TwoWay } from './two-way';

export interface ScanInput {
  idempotencyKey: string;
  token: string;
  direction: 'in' | 'out';
  /** Guard-measured °C as typed ("36.5", "36,5", 36.5). */
  temperature?: string | number | null;
  /** ISO time on the device's clock. */
  scannedAt: string;
  offline: boolean;
  localDecision?: { outcome: 'pass' | 'refused'; reasonCode: string | null };
}

export interface ScanBatch {
  checkpoint: CheckpointInfo;
  staff: StaffUser;
  /** The device's time when it sent the batch. */
  sentAt: Date;
  scans: ScanInput[];
}

export interface ScanResult {
  idempotencyKey: string;
  status: 'recorded' | 'duplicate' | 'rejected';
  outcome: 'pass' | 'refused';
  reasonCode: string | null;
  reason: Bilingual | null;
  personId: string | null;
  maskedName: string | null;
  checkinId: string | null;
  /** The time the scan is recorded at (corrected when the clock was off); null when rejected. */
  at: Date | null;
  twoWay: TwoWay | null;
}

/** A key's first answer; `stored` when it is in gate_scans (a repeat then answers 'duplicate'). */
interface First extends Omit<ScanResult, 'status' | 'twoWay' | 'idempotencyKey'> {
  status: 'recorded' | 'rejected';
  checkpointId: string;
  stored: boolean;
  /** What was scanned: a key sent again must name the same scan. */
  fingerprint: Fingerprint;
  /** The scan as posted, for an answer not kept (a concurrent post of other content is processed anew). */
  input?: string;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPE_OF_TYP = new Map(Object.entries(TOKEN_TYP).map(([k, v]) => [v, k as TokenType]));

/** Keys being processed now, per app: a second post of the same key waits for the first. */
const locks = new WeakMap<AppContext, Map<string, Promise<First>>>();
function locksOf(ctx: AppContext) {
  let m = locks.get(ctx);
  if (!m) locks.set(ctx, (m = new Map()));
  return m;
}

function fromRow(r: GateScanRow): First {
  return {
    status: r.status, outcome: r.outcome, reasonCode: r.reason_code, reason: r.reason, personId: r.person_id,
    maskedName: r.masked_name, checkinId: r.checkin_id, at: r.status === 'recorded' ? r.at : null, checkpointId: r.checkpoint_id, stored: true,
    fingerprint: fingerprint(r.direction, r.scanned_at, r.token_jti, r.status === 'recorded' ? r.temperature : undefined),
  };
}


/**
 * Record a batch of scans at one checkpoint (already checked to be in the caller's scope).
 * Scans are processed in the order they happened; results come in the order sent.
 * @returns the device clock as measured, and one result per scan.
 */
export async function recordScans(ctx: AppContext, batch: ScanBatch, now = new Date()): Promise<{ clock: DeviceClock; results: ScanResult[] }> {
  const clock = deviceClock(now, batch.sentAt, ctx.config.CLOCK_SKEW_MAX_S);
  const held = locksOf(ctx);
  // a key is a UUID: compared, locked and stored in lower case; answered as sent
  const scans = batch.scans.map((s) => ({ ...s, idempotencyKey: s.idempotencyKey.toLowerCase() }));
  const firstIndex = new Map<string, number>();
  const mine: number[] = [];
  const waits = new Map<number, Promise<First>>();
  const settle = new Map<string, { resolve: (f: First) => void; reject: (e: unknown) => void; promise: Promise<First> }>();
  // claim every key before the first await, so a concurrent post of the same batch finds them all taken
  scans.forEach((s, i) => {
    const key = s.idempotencyKey;
    if (firstIndex.has(key)) return; // repeated within the batch: answered from its first occurrence
    firstIndex.set(key, i);
    const other = held.get(key);
    if (other) { waits.set(i, other); return; }
    let resolve!: (f: First) => void; let reject!: (e: unknown) => void;
    const promise = new Promise<First>((res, rej) => { resolve = res; reject = rej; });
    promise.catch(() => undefined);
    held.set(key, promise);
    settle.set(key, { resolve, reject, promise });
    mine.push(i);
  });

  const firsts = new Map<number, { first: First; repeat: boolean }>();
  try {
    const stored = await scansByKey(ctx.db, mine.map((i) => scans[i]!.idempotencyKey));
    const times = new Map(mine.map((i) => [i, scanTimes(clock, new Date(scans[i]!.scannedAt), batch.sentAt, now)]));
    const order = [...mine].sort((a, b) => times.get(a)!.at.getTime() - times.get(b)!.at.getTime() || a - b);
    for (const i of order) {
      const s = scans[i]!;
      const row = stored.get(s.idempotencyKey);
      const first = row ? fromRow(row) : await processScan(ctx, batch, s, times.get(i)!, clock, now);
      settle.get(s.idempotencyKey)!.resolve(first);
      firsts.set(i, { first, repeat: !!row });
    }
  } catch (e) {
    for (const d of settle.values()) d.reject(e);
    throw e;
  } finally {
    for (const [key, d] of settle) if (held.get(key) === d.promise) held.delete(key);
  }
  // a concurrent post's answer is ours only when it was kept, or when it was the very same scan
  const redone = new Map<number, ScanResult>();
  for (const [i, p] of waits) {
    const first = await p;
    if (!first.stored && first.input !== JSON.stringify(scans[i])) {
      redone.set(i, (await recordScans(ctx, { ...batch, scans: [scans[i]!] }, now)).results[0]!);
    } else firsts.set(i, { first, repeat: true });
  }

  const twoWays = await twoWayOf(ctx, [...firsts.values()].flatMap((f) => (f.first.checkinId ? [f.first.checkinId] : [])));
  const results = scans.map((s, i): ScanResult => {
    const idempotencyKey = batch.scans[i]!.idempotencyKey;
    const fi = firstIndex.get(s.idempotencyKey)!;
    const again = redone.get(fi);
    if (again) return { ...again, idempotencyKey };
    const { first, repeat } = firsts.get(fi)!;
    const { checkpointId, stored, status, fingerprint: f, input: _input, ...rest } = first;
    if (checkpointId !== batch.checkpoint.checkpoint.id) {
      return { idempotencyKey, ...keyReused('该记录编号已用于其他卡点', 'This scan id was already used at another checkpoint') };
    }
    // a scan this request processed itself is its own fingerprint: only repeats are compared
    if ((repeat || i !== fi) && !sameScan(ctx, f, s)) {
      return { idempotencyKey, ...keyReused('该记录编号已用于另一次扫码（方向、时间、通行码或体温不同），请勿重复使用',
        'This scan id was already used for another scan (direction, time, code or reading differ)') };
    }
    const dup = (repeat || i !== fi) && stored;
    return { idempotencyKey, ...rest, status: dup ? 'duplicate' : status,
      twoWay: first.checkinId ? twoWays.get(first.checkinId) ?? null : null };
  });
  return { clock, results };
}

/** One new scan: verify, decide through the check-in service, store, link. */
async function processScan(ctx: AppContext, batch: ScanBatch, s: ScanInput, times: ScanTimes, clock: DeviceClock, now: Date): Promise<First> {
  const cp = batch.checkpoint;
  const local = s.offline ? s.localDecision : undefined;
  const base: NewGateScan = {
    idempotency_key: s.idempotencyKey, checkpoint_id: cp.checkpoint.id, community_code: cp.community.code, staff_id: batch.staff.id,
    person_id: null, token_type: null, token_jti: null, direction: s.direction, temperature: null, offline: s.offline,
    local_outcome: local?.outcome ?? null, local_reason: local?.reasonCode ?? null, scanned_at: new Date(s.scannedAt), at: times.at,
    skew_s: clock.skewS, skew_corrected: times.corrected, status: 'rejected', outcome: 'refused', reason_code: null, reason: null,
    masked_name: null, checkin_id: null,
  };
  const scanned = (jti: string | null) => fingerprint(s.direction, new Date(s.scannedAt), jti);
  const refusal = async (code: string, messages: Bilingual, keep: boolean, extra: Partial<NewGateScan> = {}): Promise<First> => {
    if (keep) await insertScan(ctx.db, { ...base, ...extra, reason_code: code, reason: JSON.stringify(messages) });
    return { status: 'rejected', outcome: 'refused', reasonCode: code, reason: messages, personId: (extra.person_id as string) ?? null,
      maskedName: null, checkinId: null, at: null, checkpointId: cp.checkpoint.id, stored: keep,
      fingerprint: scanned((extra.token_jti as string | null | undefined) ?? null), input: keep ? undefined : JSON.stringify(s) };
  };

  if (!s.offline && cp.state !== 'active') return refusal('checkpoint_disabled', { zh: '此卡点已停用', en: 'This checkpoint is closed' }, false);
  // a queued scan counts when its gate was open at the moment of the scan (also if reopened since)
  if (s.offline && await closedAt(ctx, cp.place.id, cp.checkpoint.id, times.verifyAt)) {
    return refusal('checkpoint_disabled', { zh: '扫码时此卡点已停用，不予记录', en: 'The checkpoint was closed when this was scanned: not recorded' }, true);
  }
  // an online scan was made just now; a queued one at most OFFLINE_GRACE_DAYS ago (by the server's clock)
  const sentGapMs = Math.abs(new Date(s.scannedAt).getTime() - batch.sentAt.getTime());
  if ((!s.offline && sentGapMs > ctx.config.CLOCK_SKEW_MAX_S * 1000)
    || times.verifyAt.getTime() < now.getTime() - ctx.config.OFFLINE_GRACE_DAYS * 86_400_000) {
    return refusal('scan_time_invalid', {
      zh: `扫码时间无效：在线记录须为刚刚扫码，离线记录不得早于 ${ctx.config.OFFLINE_GRACE_DAYS} 天`,
      en: `Invalid scan time: an online scan must be recent, a queued one at most ${ctx.config.OFFLINE_GRACE_DAYS} days old`,
    }, false);
  }
  let temperature: number | null = null;
  if (s.direction === 'in' && s.temperature !== undefined && s.temperature !== null && s.temperature !== '') {
    try { temperature = parseTemperature(s.temperature, ctx.config); } catch (e) {
      if (e instanceof AppError) return refusal(e.code, e.messages, false);
      throw e;
    }
  }

  if (s.offline && s.localDecision?.outcome === 'pass' && s.direction === 'in' && temperature === null) {
    return refusal('temperature_required', { zh: '进入时请填写体温', en: 'Temperature is required to enter' }, false);
  }

  let personId: string | undefined;
  let tokenType: TokenType | undefined;
  let jti: string | null = null;
  let preset: PresetDecision | undefined;
  let tokenStatus: string | undefined;
  try {
    const v = await verifyToken(ctx, s.token, ['pass', 'card'], times.verifyAt);
    ({ sub: personId, type: tokenType } = v);
    jti = v.jti ?? null;
    if (typeof v.claims.st === 'string') tokenStatus = v.claims.st;
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    if (!AUTHENTIC_REFUSALS.has(e.code)) return refusal(e.code, e.messages, true); // not ours: nobody is known
    // refused only after its signature verified: the subject is really the one we signed
    const claims = decodeJwt(s.token);
    personId = claims.sub;
    tokenType = TYPE_OF_TYP.get(String(decodeProtectedHeader(s.token).typ));
    jti = claims.jti ?? null;
    preset = { outcome: 'refused', refusal: e.code, reason: e.messages };
  }
  const who: Partial<NewGateScan> = { token_type: tokenType === 'pass' || tokenType === 'card' ? tokenType : null, token_jti: jti };
  if (!personId || !UUID_RE.test(personId)) return refusal('person_unknown', { zh: '人员不存在', en: 'Unknown person' }, true, who);
  who.person_id = personId;
  if (!preset && local) {
    preset = await offlineDecision(ctx, { staffId: batch.staff.id, checkpointId: cp.checkpoint.id, communityCode: cp.community.code,
      personId, direction: s.direction, temperature, local, at: times.verifyAt, tokenStatus });
  }

  let inTrx = false;
  const rowOf = (r: PersonResult): NewGateScan => ({
    ...base, ...who, temperature: r.temperature, status: 'recorded', outcome: r.outcome, reason_code: r.reasonCode,
    reason: r.reason ? JSON.stringify(r.reason) : null, masked_name: r.maskedName, checkin_id: r.checkinId,
  });
  let r: PersonResult;
  try {
    [r] = (await checkIn(ctx, {
      checkpoint: cp, personIds: [personId], direction: s.direction, temperature, source: 'guard', actorId: batch.staff.id,
      now: times.at, preset,
      inTransaction: (results) => async (trx) => { await insertScan(trx, rowOf(results[0]!)); inTrx = true; },
    })) as [PersonResult];
  } catch (e) {
    if (e instanceof AppError && e.code === 'person_unknown') return refusal(e.code, e.messages, true, who);
    if (e instanceof AppError && e.status < 500) return refusal(e.code, e.messages, false);
    throw e;
  }
  if (!inTrx) await insertScan(ctx.db, rowOf(r)); // a re-scan within the window: no new check-in, the scan is still kept
  if (!r.duplicate && !isTokenRefusal(r.reasonCode)) {
    await linkGuardCheckin(ctx, { id: r.checkinId, personId, placeId: cp.place.id, checkpointId: cp.checkpoint.id,
      communityCode: cp.community.code, direction: s.direction, at: r.at, temperature: r.temperature });
  }
  return { status: 'recorded', outcome: r.outcome, reasonCode: r.reasonCode, reason: r.reason, personId, maskedName: r.maskedName,
    checkinId: r.checkinId, at: times.at, checkpointId: cp.checkpoint.id, stored: true, fingerprint: { ...scanned(jti), temperature: r.temperature } };
}
