/** Demo data for `npm start` on an empty database (filled in by the places and staff modules). */
import type { AppContext } from '../context';

/** Seed when no staff exist; returns lines describing the demo logins. */
export async function seedDemo(_ctx: AppContext): Promise<string[]> {
  return [];
}
