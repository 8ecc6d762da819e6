/**
 * In-memory state the check-in hot path reads instead of the database: each person's open stay,
 * their recent check-ins (for the re-scan window), and short-lived caches of checkpoints, names
 * and statuses. Built from the database at start and updated only after a commit.
 *
 * Assumes one server process per database (the deployment in docs/ARCHITECTURE.md); several
 * processes would need the re-scan and stay checks moved into SQL.
 */
import type { AppContext } from '../../context';
import type { OpenStay } from './rules';

export interface RecentCheckin {
  id: string;
  placeId: string;
  checkpointId: string;
  direction: 'in' | 'out';
  /** Who scanned: the resident's own scan and the guard's scan of them are separate records (issue 3 §3). */
  source: 'resident' | 'guard';
  at: Date;
  outcome: 'pass' | 'refused';
  refusal: string | null;
  reason: { zh: string; en: string } | null;
  temperature: number | null;
}

/** A small map whose entries expire after `ttlMs`. */
export class TtlCache<V> {
  private map = new Map<string, { v: V; until: number }>();
  constructor(private ttlMs: number, private max = 100_000) {}
  get(k: string): V | undefined {
    const e = this.map.get(k);
    if (!e) return undefined;
    if (e.until < Date.now()) {
      this.map.delete(k);
      return undefined;
    }
    return e.v;
  }
  set(k: string, v: V) {
    if (this.map.size >= this.max) this.map.delete(this.map.keys().next().value as string);
    this.map.set(k, { v, until: Date.now() + this.ttlMs });
  }
  delete(k: string) {
    this.map.delete(k);
  }
  clear() {
    this.map.clear();
  }
}

export interface GateState {
  openStays: Map<string, OpenStay>;
  /** Each person's last check-in inside the re-scan window, one per source (key `recentKey`). */
  recent: Map<string, RecentCheckin>;
  reload(): Promise<void>;
}

/** Load open stays and the check-ins inside the re-scan window. */
export async function loadGateState(ctx: AppContext): Promise<GateState> {
  const state: GateState = {
    openStays: new Map(),
    recent: new Map(),
    async reload() {
      const stays = await ctx.db.selectFrom('stays').select(['id', 'person_id', 'place_id', 'entered_at'])
        .where('closed_at', 'is', null).execute();
      state.openStays = new Map(stays.map((s) => [s.person_id, { id: s.id, placeId: s.place_id, enteredAt: s.entered_at }]));
      const since = new Date(Date.now() - ctx.config.RESCAN_WINDOW_S * 1000);
      const rows = await ctx.db.selectFrom('checkins').selectAll().where('at', '>=', since).orderBy('at').execute();
      state.recent = new Map();
      for (const r of rows) {
        remember(state, r.person_id, {
          id: r.id, placeId: r.place_id, checkpointId: r.checkpoint_id, direction: r.direction, source: r.source, at: r.at,
          outcome: r.outcome, refusal: r.refusal, reason: null, temperature: r.temperature,
        });
      }
    },
  };
  await state.reload();
  return state;
}

/** Key of a person's last check-in from one source in `GateState.recent`. */
export const recentKey = (personId: string, source: 'resident' | 'guard') => `${personId}:${source}`;

/** Record a committed check-in as the person's last from its source (unless a later one is known: a late offline record). */
export function remember(state: GateState, personId: string, c: RecentCheckin) {
  const key = recentKey(personId, c.source);
  const prev = state.recent.get(key);
  if (!prev || prev.at.getTime() <= c.at.getTime()) state.recent.set(key, c);
}

/**
 * The check-in to return instead of a new one: the person's last check-in from the same source,
 * when it was at the same place in the same direction within the re-scan window of `now` (before or
 * after: a queued offline scan may be older than the last one) (SPEC S1 "re-scanning within a short
 * window does not duplicate"). The resident's own scan never swallows the guard's scan of them: the
 * two are the two sides of a two-way check (issue 3 §3).
 */
export function duplicateOf(
  state: GateState, personId: string, source: 'resident' | 'guard', placeId: string, direction: 'in' | 'out',
  now: Date, windowS: number,
): RecentCheckin | undefined {
  const last = state.recent.get(recentKey(personId, source));
  if (!last || Math.abs(last.at.getTime() - now.getTime()) > windowS * 1000) return undefined;
  return last.placeId === placeId && last.direction === direction ? last : undefined;
}
