import { parseOptions, type SolveStatus, traceOf } from '@argmin/core';
import * as z from 'zod/mini';
import { monotonicNow } from '../internal/clock';
import { linearCost, marginalError, type OtResult } from '../result';
import { type CostInput, prepareProblem, type WeightsInput } from '../validate';

export const emdOptions = z.strictObject({
  maxIterations: z
    ._default(z.int().check(z.minimum(1)), 100000)
    .check(z.describe('Maximum number of simplex pivots (POT `numItermax`).')),
});
export type EmdOptions = z.input<typeof emdOptions>;

/**
 * Exact optimal transport (the earth mover's distance) by the primal network simplex on the
 * transportation graph, as POT's ot.emd (which wraps LEMON's NetworkSimplex):
 * min ⟨P, C⟩ s.t. P1 = a, Pᵀ1 = b, P >= 0.
 *
 * Supplies a_i → demands b_j on the complete bipartite graph, an artificial root with big-M arcs
 * as the initial strongly feasible tree, block-search pricing (blocks of √(nm) arcs, the most
 * negative reduced cost of the first block that has one), Cunningham's leaving-arc rule for strongly
 * feasible trees (no cycling on degenerate pivots), and potentials kept in the tree. Returns the plan
 * (at most n + m − 1 nonzeros), ⟨P, C⟩ and duals f, g with f_i + g_j <= C_ij, equality on the support.
 *
 * @example
 * emd(a, b, cost).cost; // POT's ot.emd2(a, b, M)
 */
export function emd(
  aInput: WeightsInput,
  bInput: WeightsInput,
  costInput: CostInput,
  input: EmdOptions = {},
): OtResult {
  const started = monotonicNow();
  const { maxIterations } = parseOptions('ot/emd', emdOptions, input);
  const { a, b, cost } = prepareProblem('ot/emd', aInput, bInput, costInput, { buffers: 2 });
  const n = a.length;
  const m = b.length;
  const nodes = n + m;
  const root = nodes;
  const realArcs = n * m;
  const C = cost.data;
  let maxCost = 0;
  for (let k = 0; k < realArcs; k++) maxCost = Math.max(maxCost, Math.abs(C[k]));
  const artificialCost = (maxCost + 1) * (nodes + 1);
  // Scale b to the mass of a so tiny mass differences (<= 1e-9 relative) do not leave artificial flow.
  let massA = 0;
  let massB = 0;
  for (let i = 0; i < n; i++) massA += a[i];
  for (let j = 0; j < m; j++) massB += b[j];
  const bScaled = Float64Array.from(b, (x) => (x * massA) / massB);

  const flow = new Float64Array(realArcs + nodes);
  const parent = new Int32Array(nodes + 1);
  const predArc = new Int32Array(nodes + 1);
  const depth = new Int32Array(nodes + 1);
  const potential = new Float64Array(nodes + 1);
  const neighbors: number[][] = Array.from({ length: nodes + 1 }, () => []);

  const source = (e: number): number =>
    e < realArcs ? Math.floor(e / m) : e - realArcs < n ? e - realArcs : root;
  const target = (e: number): number => (e < realArcs ? n + (e % m) : e - realArcs < n ? root : e - realArcs);

  parent[root] = -1;
  predArc[root] = -1;
  for (let v = 0; v < nodes; v++) {
    parent[v] = root;
    predArc[v] = realArcs + v;
    depth[v] = 1;
    flow[realArcs + v] = v < n ? a[v] : bScaled[v - n];
    potential[v] = v < n ? -artificialCost : artificialCost;
    neighbors[v].push(root);
    neighbors[root].push(v);
  }

  const blockSize = Math.max(10, Math.ceil(Math.sqrt(realArcs)));
  const tolerance = 1e-12 * Math.max(1, maxCost);
  let next = 0;
  let pivots = 0;
  let status: SolveStatus = 'converged';
  let message = 'optimal';
  const stack: number[] = [];

  const removeNeighbor = (x: number, y: number) => {
    const list = neighbors[x];
    const index = list.indexOf(y);
    list[index] = list[list.length - 1];
    list.pop();
  };

  for (;;) {
    // Block search pricing over the real arcs: rc(i → j) = C_ij + π_i − π_{n+j}.
    let entering = -1;
    let best = -tolerance;
    let scanned = 0;
    while (scanned < realArcs) {
      const end = Math.min(scanned + blockSize, realArcs);
      for (let s = scanned; s < end; s++) {
        let e = next + s - scanned;
        if (e >= realArcs) e -= realArcs;
        const i = Math.floor(e / m);
        const rc = C[e] + potential[i] - potential[n + (e - i * m)];
        if (rc < best) {
          best = rc;
          entering = e;
        }
      }
      const advanced = end - scanned;
      next = (next + advanced) % realArcs;
      scanned = end;
      if (entering >= 0) break;
    }
    if (entering < 0) break;
    if (pivots >= maxIterations) {
      status = 'max-iterations';
      message = `reached maxIterations = ${maxIterations} pivots`;
      break;
    }
    pivots++;
    const u = source(entering);
    const v = target(entering);
    // Join node of the cycle.
    let x = u;
    let y = v;
    while (x !== y) {
      if (depth[x] > depth[y]) x = parent[x];
      else if (depth[y] > depth[x]) y = parent[y];
      else {
        x = parent[x];
        y = parent[y];
      }
    }
    const join = x;
    // Leaving arc (Cunningham): flow goes join → ... → u → v → ... → join.
    let delta = Number.POSITIVE_INFINITY;
    let leavingNode = -1;
    let side = 0;
    for (let w = u; w !== join; w = parent[w]) {
      // flow moves parent → w; the pred arc is a decreasing (blocking) arc if it points w → parent.
      const e = predArc[w];
      if (source(e) === w) {
        if (flow[e] < delta) {
          delta = flow[e];
          leavingNode = w;
          side = 1;
        }
      }
    }
    for (let w = v; w !== join; w = parent[w]) {
      // flow moves w → parent; blocking if the pred arc points parent → w.
      const e = predArc[w];
      if (source(e) !== w) {
        if (flow[e] <= delta) {
          delta = flow[e];
          leavingNode = w;
          side = 2;
        }
      }
    }
    if (leavingNode < 0) {
      status = 'diverged';
      message = 'unbounded cycle (cannot happen with nonnegative masses)';
      break;
    }
    // Push delta around the cycle.
    if (delta > 0) {
      flow[entering] += delta;
      for (let w = u; w !== join; w = parent[w]) {
        const e = predArc[w];
        flow[e] += source(e) === w ? -delta : delta;
      }
      for (let w = v; w !== join; w = parent[w]) {
        const e = predArc[w];
        flow[e] += source(e) === w ? delta : -delta;
      }
    }
    // Re-hang the subtree cut off by the leaving arc under the entering arc.
    const rc = C[entering] + potential[u] - potential[v];
    const start = side === 1 ? u : v;
    const attach = side === 1 ? v : u;
    const shift = side === 1 ? -rc : rc;
    const leavingParent = parent[leavingNode];
    removeNeighbor(leavingNode, leavingParent);
    removeNeighbor(leavingParent, leavingNode);
    // Reverse the path start → leavingNode.
    let child = start;
    let newParent = attach;
    let newArc = entering;
    for (;;) {
      const oldParent = parent[child];
      const oldArc = predArc[child];
      parent[child] = newParent;
      predArc[child] = newArc;
      if (child === leavingNode) break;
      newParent = child;
      newArc = oldArc;
      child = oldParent;
    }
    neighbors[start].push(attach);
    neighbors[attach].push(start);
    // Depths and potentials of the moved subtree.
    stack.length = 0;
    stack.push(start);
    while (stack.length) {
      const w = stack.pop() as number;
      depth[w] = depth[parent[w]] + 1;
      potential[w] += shift;
      for (const z of neighbors[w]) if (z !== parent[w]) stack.push(z);
    }
  }

  let artificialFlow = 0;
  for (let v = 0; v < nodes; v++) artificialFlow += flow[realArcs + v];
  if (status === 'converged' && artificialFlow > 1e-9 * massA) {
    status = 'numerical-error';
    message = `infeasible: ${artificialFlow} mass left on artificial arcs`;
  }
  const data = new Float64Array(realArcs);
  for (let k = 0; k < realArcs; k++) data[k] = flow[k];
  const plan = { rows: n, cols: m, data };
  const f = new Float64Array(n);
  const g = new Float64Array(m);
  for (let i = 0; i < n; i++) f[i] = -potential[i];
  for (let j = 0; j < m; j++) g[j] = potential[n + j];
  // Normalize the free constant as POT does not: center f (f_0 = 0 would also do).
  const shift = f[0];
  for (let i = 0; i < n; i++) f[i] -= shift;
  for (let j = 0; j < m; j++) g[j] += shift;
  return {
    plan,
    cost: linearCost(plan, cost),
    potentials: { f, g },
    iterations: pivots,
    marginalError: marginalError(plan, a, b),
    status,
    converged: status === 'converged',
    message,
    warnings:
      status === 'max-iterations'
        ? [
            {
              type: 'convergence',
              message: `ot/emd: ${message}; the plan is feasible but may not be optimal. Raise maxIterations.`,
            },
          ]
        : [],
    trace: traceOf([pivots], { error: [marginalError(plan, a, b)] }, [monotonicNow() - started]),
    method: 'ot/emd',
  };
}

/** The optimal cost ⟨P*, C⟩ (POT's ot.emd2). */
export function emd2(a: WeightsInput, b: WeightsInput, cost: CostInput, options: EmdOptions = {}): number {
  return emd(a, b, cost, options).cost;
}
