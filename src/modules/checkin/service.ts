/**
 * Check-in at a checkpoint (SPEC S1): decide each person's passage, keep stays, raise fever
 * alerts, and commit durably before answering. The hot path reads memory (gate-state.ts) and
 * writes through the group-commit writer (writer.ts).
 */
import type { Transaction } from 'kysely';
import { timeOrderedId } from '../../lib/ids';
import type { AppContext } from '../../context';
import type { DB } from '../../db/schema';
import { badRequest, type Bilingual } from '../../lib/errors';
import { BARRING_STATUSES, STATUS_LABELS, setStatus } from '../status/service';
import { checkpointByToken, onCheckpointChanged } from '../places/service';
import { duplicateOf, loadGateState, remember, TtlCache, type GateState } from './gate-state';
import { decide, isTokenRefusal, presetDecision, stayChange, type Direction, type PresetDecision } from './rules';
import { createWriter, type WriteSet } from './writer';
import { createPersonReads, gatePersons, prefetch, type PersonReads } from './gate-persons';
import { publish } from './live';

export type CheckpointInfo = NonNullable<Awaited<ReturnType<typeof checkpointByToken>>>;

export interface PersonResult {
  personId: string;
  maskedName: string;
  outcome: 'pass' | 'refused';
  reasonCode: string | null;
  reason: Bilingual | null;
  checkinId: string;
  at: Date;
  direction: Direction;
  temperature: number | null;
  duplicate: boolean;
}

interface Gate {
  state: GateState;
  writer: ReturnType<typeof createWriter>;
  checkpoints: TtlCache<CheckpointInfo | null>;
  /** The same by checkpoint id (a separate map: an id must never be usable as a poster token). */
  checkpointsById: TtlCache<CheckpointInfo | null>;
  /** Masked names and current statuses of persons (gate-persons.ts). */
  persons: PersonReads;
  /** Per person, the check-in being decided and written now: a double tap waits for it. */
  inflight: Map<string, Promise<void>>;
  /** Stop listening to checkpoint and status changes. */
  stop: () => void;
}

const gates = new WeakMap<AppContext, Promise<Gate>>();

/** The check-in machinery of one running app (created on first use). */
export function gateOf(ctx: AppContext): Promise<Gate> {
  let g = gates.get(ctx);
  if (!g) {
    g = (async () => {
      const state = await loadGateState(ctx);
      const persons = createPersonReads(ctx);
      const gate: Gate = {
        state,
        writer: createWriter(ctx, () => state.reload(), ctx.config.CHECKIN_COMMIT_LANES),
        checkpoints: new TtlCache(30_000),
        checkpointsById: new TtlCache(30_000),
        persons,
        inflight: new Map(),
        stop: () => undefined,
      };
      const unlisten = onCheckpointChanged(() => { gate.checkpoints.clear(); gate.checkpointsById.clear(); });
      gate.stop = () => { unlisten(); persons.stop(); };
      return gate;
    })();
    gates.set(ctx, g);
  }
  return g;
}

/**
 * The app of `ctx` is closing: the check-ins still queued are committed (a request the server no
 * longer waits for, as with https or a job, may have queued one), then its gate stops listening
 * to checkpoint and status changes, which are process-wide (otherwise every closed app stays in
 * memory and hears every later change); the next gateOf(ctx) builds a new gate. Call after the
 * server stopped taking requests and before the database is closed.
 */
export async function closeGate(ctx: AppContext): Promise<void> {
  const g = gates.get(ctx);
  if (!g) return;
  gates.delete(ctx);
  const gate = await g.catch(() => null);
  if (!gate) return;
  await gate.writer.drain();
  gate.stop();
}

/** A checkpoint by poster token, cached 30 s and dropped on any checkpoint change. */
export async function cachedCheckpoint(ctx: AppContext, token: string): Promise<CheckpointInfo | null> {
  const gate = await gateOf(ctx);
  const hit = gate.checkpoints.get(token);
  if (hit !== undefined) return hit;
  const info = await checkpointByToken(ctx, token);
  gate.checkpoints.set(token, info);
  return info;
}

/**
 * Start reading the persons of a scan while its device is being checked, so that a scan missing
 * both caches waits for one round trip, not two; checkIn then takes the same read. What is read
 * stays in the server (it is returned only for persons on the scanning device).
 */
export function prefetchPersons(ctx: AppContext, ids: readonly string[]): void {
  // a failure here is the scan's to report, through its own read
  gateOf(ctx).then((gate) => { prefetch(gate.persons, ids); }, () => undefined);
}

export interface CheckInRequest {
  checkpoint: CheckpointInfo;
  personIds: string[];
  direction: Direction;
  /** °C, already parsed; required for 'in' unless every person is refused before measuring. */
  temperature: number | null;
  source: 'resident' | 'guard';
  actorId: string | null;
  now?: Date;
  /** Record even when the last check-in matches (a guard's pass after clearing a fever alert). */
  ignoreRescan?: boolean;
  /**
   * A decision made before this call instead of `decide` (rules.ts `presetDecision`): what an offline
   * gate decided, or a refused token (gatescan module). A preset with a token refusal is never a
   * re-scan duplicate and never makes a later scan one: it identifies nobody for sure.
   */
  preset?: PresetDecision;
  /**
   * Statements committed in the same transaction as this request's new check-ins (the gate-scan
   * record of an idempotency key, so a scan and its record land together or not at all). Not run
   * when nothing new is written (every person a re-scan duplicate).
   */
  inTransaction?: (results: PersonResult[]) => (trx: Transaction<DB>) => Promise<void>;
}

/**
 * Check in one or more persons (a phone's holder and dependents, 同行人员) at a checkpoint.
 * Resolves after the records are committed. A repeat within RESCAN_WINDOW_S returns the earlier
 * check-in with `duplicate: true`. A fever reading refuses entry, sets the person "fever pending"
 * and raises an alert for the checkpoint's community (SPEC S1).
 */
export async function checkIn(ctx: AppContext, req: CheckInRequest): Promise<PersonResult[]> {
  const gate = await gateOf(ctx);
  const personIds = [...new Set(req.personIds)];
  // one person's check-ins are decided in order, so a double tap finds the first as a duplicate
  let release!: () => void;
  const mine = new Promise<void>((r) => (release = r));
  const before = personIds.map((id) => gate.inflight.get(id)).filter((p): p is Promise<void> => !!p);
  for (const id of personIds) gate.inflight.set(id, mine);
  try {
    await Promise.all(before);
    return await decideAndWrite(ctx, gate, { ...req, personIds });
  } finally {
    release();
    for (const id of personIds) if (gate.inflight.get(id) === mine) gate.inflight.delete(id);
  }
}

async function decideAndWrite(ctx: AppContext, gate: Gate, req: CheckInRequest): Promise<PersonResult[]> {
  const now = req.now ?? new Date();
  const { checkpoint } = req;
  const persons = await gatePersons(gate.persons, req.personIds);
  const set: WriteSet = { checkins: [], stayInserts: [], stayCloses: [], alerts: [] };
  const results: PersonResult[] = [];
  const feverPersons: { personId: string; temperature: number }[] = [];
  const afterCommit: (() => void)[] = [];

  const tokenRefused = isTokenRefusal(req.preset?.refusal);
  req.personIds.forEach((personId, i) => {
    const st = persons[i]!;
    const label = STATUS_LABELS[st.status as keyof typeof STATUS_LABELS] ?? { zh: st.status, en: st.status };
    const temperature = req.direction === 'in' ? req.temperature : null;
    const d = req.preset ? presetDecision(req.preset, req.direction)
      : decide({ status: st.status, statusLabel: label, statusReason: st.reason }, req.direction, temperature, BARRING_STATUSES, ctx.config);
    // a re-scan within the window returns the earlier record only when it is decided the same way:
    // a new fever reading after a pass (or a pass after a refusal) is a new record with its alert.
    // A guard's new reading is a re-measure, kept as its own record (a resident's re-typed one is not)
    const dup = req.ignoreRescan || tokenRefused ? undefined
      : duplicateOf(gate.state, personId, req.source, checkpoint.place.id, req.direction, now, ctx.config.RESCAN_WINDOW_S);
    const remeasured = req.source === 'guard' && temperature !== null && dup?.temperature !== temperature;
    if (dup && dup.outcome === d.outcome && dup.refusal === d.refusal && !remeasured) {
      results.push({
        personId, maskedName: persons[i]!.maskedName, outcome: dup.outcome, reasonCode: dup.refusal, reason: dup.reason,
        checkinId: dup.id, at: dup.at, direction: dup.direction, temperature: dup.temperature, duplicate: true,
      });
      return;
    }
    // an offline gate's pass is recorded as it happened; a new decision needs the reading
    if (!req.preset && d.outcome === 'pass' && req.direction === 'in' && temperature === null) {
      throw badRequest('temperature_required', '进入时请填写体温', 'Temperature is required to enter');
    }
    const id = timeOrderedId();
    set.checkins.push({
      id, person_id: personId, checkpoint_id: checkpoint.checkpoint.id, place_id: checkpoint.place.id,
      community_code: checkpoint.community.code, direction: req.direction, temperature, outcome: d.outcome,
      refusal: d.refusal, source: req.source, actor_id: req.actorId, at: now,
    });
    if (d.outcome === 'pass') {
      const ch = stayChange(gate.state.openStays.get(personId), {
        id, placeId: checkpoint.place.id, direction: req.direction, at: now, newStayId: timeOrderedId(),
      });
      if (ch.close) set.stayCloses.push({ id: ch.close.id, person_id: personId, closed_at: ch.close.at, closed_by: ch.close.closedBy, exit_checkin_id: ch.close.exitCheckinId });
      if (ch.opened && ch.open) {
        set.stayInserts.push({ id: ch.open.id, person_id: personId, place_id: ch.open.placeId, entered_at: now,
          entry_checkin_id: id, closed_at: null, closed_by: null, exit_checkin_id: null });
      }
      afterCommit.push(() => {
        if (ch.open) gate.state.openStays.set(personId, ch.open);
        else if (ch.close) gate.state.openStays.delete(personId);
      });
    }
    if (d.fever && temperature !== null) {
      set.alerts.push({ checkin_id: id, person_id: personId, checkpoint_id: checkpoint.checkpoint.id,
        community_code: checkpoint.community.code, temperature, raised_at: now });
      if (d.refusal === 'fever') feverPersons.push({ personId, temperature }); // a barring status stays (rules.ts)
    }
    const recent = { id, placeId: checkpoint.place.id, checkpointId: checkpoint.checkpoint.id, direction: req.direction,
      source: req.source, at: now, outcome: d.outcome, refusal: d.refusal, reason: d.reason, temperature };
    if (!tokenRefused) afterCommit.push(() => remember(gate.state, personId, recent));
    results.push({ personId, maskedName: persons[i]!.maskedName, outcome: d.outcome, reasonCode: d.refusal, reason: d.reason,
      checkinId: id, at: now, direction: req.direction, temperature, duplicate: false });
  });

  const extra = set.checkins.length && req.inTransaction ? req.inTransaction(results) : undefined;
  if (feverPersons.length || extra) {
    set.after = async (trx) => {
      for (const f of feverPersons) {
        await setStatus(trx, f.personId, 'fever_pending',
          `${checkpoint.place.name}${checkpoint.checkpoint.name} 测得体温 ${f.temperature.toFixed(1)}℃`,
          { kind: 'system', id: null, role: 'system' });
      }
      if (extra) await extra(trx);
    };
  }
  if (set.checkins.length) await gate.writer.write(set);
  for (const f of afterCommit) f();
  publish(ctx, checkpoint, results, set);
  return results;
}

/**
 * A checkpoint by id (through its active token), for guard-side check-ins and screen codes; null
 * when unknown. Cached like `cachedCheckpoint` (dropped on any checkpoint change).
 */
export async function checkpointInfoById(ctx: AppContext, checkpointId: string): Promise<CheckpointInfo | null> {
  const gate = await gateOf(ctx);
  const hit = gate.checkpointsById.get(checkpointId);
  if (hit !== undefined) return hit;
  const t = await ctx.db.selectFrom('checkpoint_tokens').select('token')
    .where('checkpoint_id', '=', checkpointId).where('revoked_at', 'is', null).executeTakeFirst();
  const info = t ? await cachedCheckpoint(ctx, t.token) : null;
  gate.checkpointsById.set(checkpointId, info);
  return info;
}

/** Wait until every acknowledged check-in is written (shutdown, tests). */
export async function drainCheckins(ctx: AppContext) {
  const g = gates.get(ctx);
  if (g) await (await g).writer.drain();
}
