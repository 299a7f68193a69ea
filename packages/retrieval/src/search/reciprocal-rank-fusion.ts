/**
 * Reciprocal rank fusion: each list contributes `1 / (constant + rank)` (rank 1-based) to an id's score.
 * Returns ids by fused score, best first; ties keep the order of first appearance.
 */
export function reciprocalRankFusion(
  rankedLists: readonly (readonly string[])[],
  constant = 60,
): Array<{ id: string; score: number }> {
  const scores = new Map<string, number>();
  for (const list of rankedLists) {
    list.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + 1 / (constant + index + 1));
    });
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((left, right) => right.score - left.score);
}
