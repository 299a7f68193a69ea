import { describe, expect, it } from 'vitest';
import { pageRank } from '../src/map/page-rank.ts';

describe('pageRank', () => {
  it('ranks the node everyone points to first and sums to 1', () => {
    // 0 → 2, 1 → 2, 2 → 0, 3 has no links (dangling).
    const rank = pageRank(4, [new Map([[2, 1]]), new Map([[2, 1]]), new Map([[0, 1]]), undefined]);
    expect(rank.reduce((sum, value) => sum + value, 0)).toBeCloseTo(1, 9);
    const order = rank.map((value, node) => ({ value, node })).sort((left, right) => right.value - left.value);
    expect(order.map((entry) => entry.node)).toEqual([2, 0, 1, 3]);
  });

  it('personalisation pulls rank toward the focused nodes', () => {
    const edges = [new Map([[1, 1]]), new Map([[0, 1]]), new Map([[0, 1]])];
    const plain = pageRank(3, edges);
    const focused = pageRank(3, edges, { personalization: [0, 0, 1] });
    expect(focused[2]!).toBeGreaterThan(plain[2]!);
  });
});
