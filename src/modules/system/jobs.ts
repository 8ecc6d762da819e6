/**
 * Scheduled jobs, every JOB_INTERVAL_MIN minutes: each registered job runs in turn; one failing
 * is logged and does not stop the others. Modules add their job to JOBS; the embedded database's
 * upkeep (./upkeep.ts) is always there.
 */
import type { AppContext } from '../../context';
import { EMBEDDED_UPKEEP_JOB } from './upkeep';

export interface Job {
  name: string;
  run(ctx: AppContext, now: Date): Promise<void>;
}

export const JOBS: Job[] = [EMBEDDED_UPKEEP_JOB];

/** Run every job once now (also used by tests and `npx yiqu purge`). */
export async function runJobsOnce(ctx: AppContext, now = new Date()) {
  for (const job of JOBS) {
    try {
      await job.run(ctx, now);
    } catch (err) {
      ctx.log.error({ err, job: job.name }, 'scheduled job failed');
    }
  }
}

/** Start the timer; returns a function that stops it. */
export function startJobs(ctx: AppContext): () => void {
  let running = false;
  const timer = setInterval(async () => {
    if (running) return;
    running = true;
    await runJobsOnce(ctx).finally(() => (running = false));
  }, ctx.config.JOB_INTERVAL_MIN * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}
