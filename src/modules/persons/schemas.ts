/** Response schemas shared by the persons, status and me routes. */
import { z } from 'zod';

export { errorOut } from '../../lib/http-schemas';

/** A current status as shown: code, label in the caller's language, reason, since (null: never set). */
export const statusOut = z.object({ code: z.string(), label: z.string(), reason: z.string(), since: z.date().nullable() });
