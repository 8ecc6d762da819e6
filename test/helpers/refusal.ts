/** Test helper: how a service call was refused. */
import { AppError } from '../../src/lib/errors';

/**
 * Await `p` and describe its refusal as '<status> <code>' (e.g. '409 case_open'); another error as
 * its message; 'no error' when it resolved.
 */
export async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return e instanceof AppError ? `${e.status} ${e.code}` : String(e);
  }
  return 'no error';
}
