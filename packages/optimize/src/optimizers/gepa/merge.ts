import type { Rng } from '../../core/rng.js';

/** What a merge needs of a pool member. */
export interface Lineage {
  readonly instructions: Readonly<Record<string, string>>;
  readonly parents: readonly number[];
  readonly mean: number;
}

/** A member's index and every ancestor's index. */
export function ancestorsOf(pool: readonly Lineage[], index: number): Set<number> {
  const seen = new Set<number>();
  const stack = [index];
  while (stack.length > 0) {
    const k = stack.pop() as number;
    if (seen.has(k)) continue;
    seen.add(k);
    for (const p of pool[k]?.parents ?? []) stack.push(p);
  }
  return seen;
}

/** A proposed merge: the two members, their common ancestor and the merged instructions. */
export interface MergePlan {
  readonly left: number;
  readonly right: number;
  readonly ancestor: number;
  readonly instructions: Record<string, string>;
}

/**
 * A system-aware merge of two front members that descend from a common ancestor: each
 * predictor takes the instruction of the member that changed it (the better member's when both
 * did). Pairs are tried in a seeded order; a (left, right, ancestor) triple is tried once, and
 * only merges that differ from both members are returned.
 */
export function planMerge(
  pool: readonly Lineage[],
  front: readonly number[],
  tried: Set<string>,
  rng: Rng,
): MergePlan | undefined {
  const pairs: [number, number][] = [];
  for (let a = 0; a < front.length; a++)
    for (let b = a + 1; b < front.length; b++) pairs.push([front[a] as number, front[b] as number]);
  for (const [i, j] of rng.shuffle(pairs)) {
    const left = Math.min(i, j);
    const right = Math.max(i, j);
    const ai = ancestorsOf(pool, left);
    const aj = ancestorsOf(pool, right);
    if (ai.has(right) || aj.has(left)) continue;
    const common = [...ai]
      .filter((k) => aj.has(k))
      .sort((x, y) => (pool[y]?.mean ?? 0) - (pool[x]?.mean ?? 0) || x - y);
    for (const ancestor of common) {
      const key = `${left},${right},${ancestor}`;
      if (tried.has(key)) continue;
      const merged = mergeInstructions(pool, left, right, ancestor);
      if (!merged) continue;
      tried.add(key);
      return { left, right, ancestor, instructions: merged };
    }
  }
  return undefined;
}

function mergeInstructions(
  pool: readonly Lineage[],
  left: number,
  right: number,
  ancestor: number,
): Record<string, string> | undefined {
  const L = pool[left] as Lineage;
  const R = pool[right] as Lineage;
  const A = pool[ancestor] as Lineage;
  const out: Record<string, string> = {};
  for (const path of Object.keys(A.instructions)) {
    const a = A.instructions[path] as string;
    const l = L.instructions[path] ?? a;
    const r = R.instructions[path] ?? a;
    if (l !== a && r === a) out[path] = l;
    else if (r !== a && l === a) out[path] = r;
    else if (l !== a && r !== a) out[path] = R.mean > L.mean ? r : l;
    else out[path] = a;
  }
  const same = (x: Lineage) => Object.keys(out).every((p) => out[p] === x.instructions[p]);
  return same(L) || same(R) ? undefined : out;
}
