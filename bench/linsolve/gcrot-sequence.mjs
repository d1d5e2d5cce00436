// GCROT(m, k) over a sequence of Darcy systems: argmin's gcrot (fresh / recycled, given order and
// greedy-sorted) against GMRES(40), and the same systems for gcrot_sequence.py (scipy gcrotmk).
// Usage: node gcrot-sequence.mjs <grid> <count> <systems.json>   (prints JSON; writes the systems)
// Run via bench/linsolve/compare-gcrot.sh.
import { writeFileSync } from 'node:fs';
import { createRng } from '../../packages/core/dist/index.js';
import { darcySequence, gcrot, gmres, greedySort } from '../../packages/linsolve/dist/index.js';

const grid = Number(process.argv[2] ?? 32);
const count = Number(process.argv[3] ?? 40);
const file = process.argv[4];
const systems = darcySequence(createRng(7), count, { gridSize: grid });
const rtol = 1e-8;
const m = 40;
const k = 20;
const given = systems.map((_, i) => i);
const sorted = greedySort(systems.map((s) => s.parameters));
const run = (name, order, solveOne) => {
  let matvecs = 0;
  let converged = 0;
  let space;
  const start = performance.now();
  for (const i of order) {
    const r = solveOne(systems[i], space);
    space = r.recycleSpace;
    matvecs += r.matvecs;
    if (r.converged) converged++;
  }
  return [
    name,
    { matvecsPerSystem: matvecs / order.length, converged, seconds: (performance.now() - start) / 1000 },
  ];
};
// warm-up
gcrot(systems[0].matrix, systems[0].rhs, { rtol, m, k });
const out = Object.fromEntries([
  run('gmres(40)', given, (s) => gmres(s.matrix, s.rhs, { rtol, restart: m })),
  run('gcrot fresh', given, (s) => gcrot(s.matrix, s.rhs, { rtol, m, k })),
  run('gcrot recycled', given, (s, space) =>
    gcrot(s.matrix, s.rhs, { rtol, m, k, recycleSpace: space, discardC: true }),
  ),
  run('gcrot recycled sorted', sorted, (s, space) =>
    gcrot(s.matrix, s.rhs, { rtol, m, k, recycleSpace: space, discardC: true }),
  ),
]);
if (file) {
  const csr = (A) => ({
    n: A.rows,
    indptr: Array.from(A.rowPointers),
    indices: Array.from(A.columnIndices),
    data: Array.from(A.values),
  });
  writeFileSync(
    file,
    JSON.stringify({
      rtol,
      m,
      k,
      sorted,
      systems: systems.map((s) => ({ A: csr(s.matrix), b: Array.from(s.rhs) })),
    }),
  );
}
console.log(JSON.stringify(out));
