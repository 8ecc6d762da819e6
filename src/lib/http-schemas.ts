/** Response schemas every route shares (the refusal shape written by ./http-errors.ts). */
import { z } from 'zod';

/**
 * Every refusal: `{error: {code, message, details?, fields?}}`; `details.field` (a service's refusal)
 * or `fields[]` (schema validation: field path and message) name the fields a form marks.
 */
export const errorOut = z.object({
  error: z.object({
    code: z.string(), message: z.string(), details: z.record(z.string(), z.unknown()).optional(),
    fields: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
  }),
});

/** The refusals of a staff route: bad input, no session, no permission, not in scope, conflict. */
export const errorResponses = { 400: errorOut, 401: errorOut, 403: errorOut, 404: errorOut, 409: errorOut };

/**
 * Route option `serializerCompiler: plainJson` for the hottest routes (a check-in): the reply is
 * written with JSON.stringify as the handler built it, without encoding it through its zod schema
 * a second time. The schema still documents the route in /openapi.json. Only for handlers that
 * build every field of the reply explicitly (no spread of an internal object), so nothing beyond
 * the schema can leave.
 */
export const plainJson = () => (data: unknown) => JSON.stringify(data);
