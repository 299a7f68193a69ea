/**
 * PageRank by power iteration over a weighted directed graph of `size` nodes. `edges[from]` maps target → weight.
 * Dangling nodes and teleports follow `personalization` (uniform when omitted). Returns one score per node, summing to 1.
 */
export function pageRank(
  size: number,
  edges: ReadonlyArray<ReadonlyMap<number, number> | undefined>,
  options: { damping?: number; iterations?: number; tolerance?: number; personalization?: ReadonlyArray<number> } = {},
): number[] {
  if (size === 0) return [];
  const damping = options.damping ?? 0.85;
  const iterations = options.iterations ?? 100;
  const tolerance = options.tolerance ?? 1e-10;
  let teleport = options.personalization?.slice(0, size) ?? new Array<number>(size).fill(1);
  const teleportSum = teleport.reduce((sum, value) => sum + value, 0);
  teleport = teleportSum > 0 ? teleport.map((value) => value / teleportSum) : new Array<number>(size).fill(1 / size);
  const outWeight = edges.map((targets) => {
    let sum = 0;
    for (const weight of targets?.values() ?? []) sum += weight;
    return sum;
  });
  let rank = [...teleport];
  for (let iteration = 0; iteration < iterations; iteration += 1) {
    const next = new Array<number>(size).fill(0);
    let dangling = 0;
    for (let from = 0; from < size; from += 1) {
      const targets = edges[from];
      const total = outWeight[from] ?? 0;
      const current = rank[from] ?? 0;
      if (targets === undefined || total === 0) {
        dangling += current;
        continue;
      }
      for (const [to, weight] of targets) next[to] = (next[to] ?? 0) + (damping * current * weight) / total;
    }
    let change = 0;
    for (let node = 0; node < size; node += 1) {
      const value = (next[node] ?? 0) + (1 - damping + damping * dangling) * (teleport[node] ?? 0);
      change += Math.abs(value - (rank[node] ?? 0));
      next[node] = value;
    }
    rank = next;
    if (change < tolerance) break;
  }
  return rank;
}
