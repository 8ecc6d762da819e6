/**
 * Completion of a screening campaign (排查 / 清零行动, issue 5 §6): the one rule that turns the
 * households of a community and which of them were visited into percentages per building and for
 * the community. The campaign's list shows the same rows, so its counts equal these figures.
 *
 * A household counts as visited when it has a visit in the campaign, whatever the outcome (a
 * no_answer or refused visit is a visit made; the outcome says what came of it). The percentage is
 * visited / households × 100 rounded to one decimal (half up); a building or community with no
 * households is 0 %. Households without a building are grouped under buildingId null.
 */
export interface CompletionInput { buildingId: string | null; buildingName: string | null; visited: boolean }
export interface CompletionFigure { households: number; visited: number; percent: number }
export interface BuildingCompletion extends CompletionFigure { buildingId: string | null; buildingName: string | null }

/** visited / households as a percentage with one decimal (0 when there are no households). */
export function percentOf(visited: number, households: number): number {
  if (households <= 0) return 0;
  return Math.round((visited * 1000) / households) / 10;
}

/**
 * Per-building and community completion of `rows` (one row a household). Buildings keep the order
 * in which they first appear in `rows`; `buildings` lists every building given in `known` too (so a
 * building without households shows 0 of 0).
 */
export function campaignCompletion(rows: readonly CompletionInput[], known: ReadonlyArray<{ id: string; name: string }> = []):
  { community: CompletionFigure; buildings: BuildingCompletion[] } {
  const by = new Map<string | null, BuildingCompletion>();
  for (const b of known) by.set(b.id, { buildingId: b.id, buildingName: b.name, households: 0, visited: 0, percent: 0 });
  let households = 0;
  let visited = 0;
  for (const r of rows) {
    let b = by.get(r.buildingId);
    if (!b) { b = { buildingId: r.buildingId, buildingName: r.buildingName, households: 0, visited: 0, percent: 0 }; by.set(r.buildingId, b); }
    b.households += 1;
    households += 1;
    if (r.visited) { b.visited += 1; visited += 1; }
  }
  const buildings = [...by.values()].map((b) => ({ ...b, percent: percentOf(b.visited, b.households) }));
  return { community: { households, visited, percent: percentOf(visited, households) }, buildings };
}
