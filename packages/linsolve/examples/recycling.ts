// Krylov recycling: solve a sequence of Darcy systems, carrying a recycle space from one to the next.
import { createRng } from '@argmin/core';
import { darcySequence, gcroDr, gcrot, gmres, type RecycleSpace } from '../src/index';

const systems = darcySequence(createRng(0), 4, { gridSize: 20 }); // K = exp(GRF), 400 unknowns each

let space: RecycleSpace | undefined; // { U, C }: plain data, carried by hand
let spaceGcrot: RecycleSpace | undefined;
for (const { matrix, rhs } of systems) {
  const fresh = gmres(matrix, rhs, { rtol: 1e-8, restart: 40 });
  // GCRO-DR(40, 20): recomputes C = A U for the new matrix, then deflates with harmonic Ritz vectors
  const recycled = gcroDr(matrix, rhs, { rtol: 1e-8, restart: 40, recycle: 20, recycleSpace: space });
  // GCROT(20, 10) with scipy gcrotmk semantics; discardC recomputes C for the new matrix
  const flexible = gcrot(matrix, rhs, { rtol: 1e-8, m: 20, k: 10, recycleSpace: spaceGcrot, discardC: true });
  space = recycled.recycleSpace;
  spaceGcrot = flexible.recycleSpace;
  console.log(fresh.matvecs, recycled.matvecs, flexible.matvecs, recycled.status, flexible.status);
}
