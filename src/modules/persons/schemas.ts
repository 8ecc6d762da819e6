/** Response schemas shared by the persons, status and me routes. */
import { z } from 'zod';

/** Every refusal: `{error: {code, message, details?}}` (src/lib/http-errors.ts). */
export const errorOut = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional() }),
});

/** A current status as shown: code, label in the caller's language, reason, since (null: never set). */
export const statusOut = z.object({ code: z.string(), label: z.string(), reason: z.string(), since: z.date().nullable() });
