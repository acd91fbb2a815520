/**
 * The size of the next step of some work, aimed at taking `budgetMs` from
 * how long this one took, changing by at most half or double at a time (one
 * slow step, a descheduled thread, does not collapse it), within bounds.
 */
export function resizeToBudget(size: number, budgetMs: number, tookMs: number, bounds: { min: number; max: number }): number {
  const factor = Math.min(2, Math.max(0.5, budgetMs / Math.max(tookMs, 0.01)));
  return Math.round(Math.min(bounds.max, Math.max(bounds.min, size * factor)));
}
