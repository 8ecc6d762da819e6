/**
 * A budget of failed phone-match bindings (residents.ts), so that a document number and a phone
 * number cannot be guessed from a phone (LESSONS "Looking up another person … limited"): a 409
 * 'document_bound_elsewhere' also says "this document is registered", so each client IP has a
 * budget too. Counted in memory (one server process per database, docs/ARCHITECTURE.md); a
 * restart forgets the counts, which an attacker cannot cause from outside.
 */
import type { AppContext } from '../../context';
import { AppError } from '../../lib/errors';
import { windowCounts } from './limits';

/** Failed bindings of one document (wrong phone or name) in BIND_WINDOW_S before it is locked for the rest of the window. */
export const BIND_FAILURES_PER_DOCUMENT = 5;
/** Failed bindings from one client IP in BIND_WINDOW_S before its bindings to registered documents are refused. */
export const BIND_FAILURES_PER_CLIENT = 20;
/** The window of both budgets, seconds. */
export const BIND_WINDOW_S = 3600;

const budgets = new WeakMap<AppContext, ReturnType<typeof windowCounts>>();

const limitOf = (key: string) => (key.startsWith('doc:') ? BIND_FAILURES_PER_DOCUMENT : BIND_FAILURES_PER_CLIENT);

function countsOf(ctx: AppContext) {
  let c = budgets.get(ctx);
  if (!c) budgets.set(ctx, (c = windowCounts(BIND_WINDOW_S * 1000, 50_000)));
  return c;
}

/**
 * Refuse a binding attempt when one of `keys` ('doc:<hash>', 'ip:<address>') has used its budget.
 * @throws AppError 429 'bind_attempts' with the minutes to wait.
 */
export function checkBindBudget(ctx: AppContext, keys: string[], now = Date.now()) {
  for (const key of keys) {
    const w = countsOf(ctx).get(key, now);
    if (w.count >= limitOf(key)) {
      const min = Math.max(1, Math.ceil(w.ttl / 60_000));
      throw new AppError(429, 'bind_attempts', {
        zh: `核对失败次数过多，请${min}分钟后再试，或携带证件到社区或卡点由工作人员核实后绑定`,
        en: `Too many failed attempts; retry in ${min} min, or bring the document to your community or a checkpoint so staff can bind this phone`,
      });
    }
  }
}

/** Count one failed binding against each of `keys`. */
export function recordBindFailure(ctx: AppContext, keys: string[], now = Date.now()) {
  for (const key of keys) countsOf(ctx).add(key, now);
}
