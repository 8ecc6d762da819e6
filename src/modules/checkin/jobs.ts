/** The check-in module's scheduled jobs: stay timeout, re-scan memory pruning, retention purge. */
import type { AppContext } from '../../context';
import { JOBS } from '../system/jobs';
import { closeTimedOutStays, purgeExpired } from './retention';
import { gateOf } from './service';

export const STAY_TIMEOUT_JOB = {
  name: 'stay-timeout',
  async run(ctx: AppContext, now: Date) {
    const gate = await gateOf(ctx);
    const closed = await closeTimedOutStays(ctx, now);
    for (const s of closed) if (gate.state.openStays.get(s.person_id)?.id === s.id) gate.state.openStays.delete(s.person_id);
    const since = now.getTime() - ctx.config.RESCAN_WINDOW_S * 1000;
    for (const [id, c] of gate.state.recent) if (c.at.getTime() < since) gate.state.recent.delete(id);
  },
};

export const RETENTION_JOB = { name: 'retention-purge', run: (ctx: AppContext, now: Date) => purgeExpired(ctx, now).then(() => undefined) };

let registered = false;
export function registerCheckinJobs() {
  if (registered) return;
  registered = true;
  JOBS.push(STAY_TIMEOUT_JOB, RETENTION_JOB);
}
