/**
 * Statements run as named prepared statements (text → name): parsed once per connection, then only
 * bound to new parameters. The check-in group commit runs one hundreds of times a second.
 * - On a PostgreSQL server (index.ts PreparingClient) each connection plans it for every call's
 *   parameters (`plan_cache_mode = force_custom_plan`): planning there costs ~0.2 ms.
 * - On the embedded database (pglite-worker.mjs) PostgreSQL chooses, and it is parsed again every
 *   100 runs (REPARSE_AFTER_RUNS) so that a plan made for small tables does not outlive their growth:
 *   parse and planning were ~20% of the database thread's time there (docs/STATUS.md, session 12).
 */
const names = new Map<string, string>();

/**
 * Register `text` as the named prepared statement `name`.
 * @returns `text`, to pass to the query as usual.
 */
export function preparedStatement(name: string, text: string): string {
  names.set(text, name);
  return text;
}

/** The name `text` was registered under, or undefined. */
export function preparedNameOf(text: string): string | undefined {
  return names.get(text);
}
