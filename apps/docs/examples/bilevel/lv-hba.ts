// LV-HBA: the proximal Lagrangian value-function method for a bilevel problem with a constraint
// coupling x and y, stepped by hand (init, then step) as any argmin Optimizer.
import { coupledConstraintToy, lvHba } from '@argmin/bilevel';
import { createRng, type Vec } from '@argmin/core';

const toy = coupledConstraintToy({ n: 10 });
const optimizer = lvHba({ c0: 0.1, p: 0.45 });
const context = { rng: createRng(0), warn: () => {} };
let x: Vec = new Float64Array(10).fill(10);
const distance = (v: Vec) => Math.max(...v.map((vi, i) => Math.abs(vi - toy.solution.x[i])));
const initialError = distance(x);
let state = optimizer.init(x, toy, context);
let status = 'running';
for (let k = 0; k < 300; k++) {
  const step = optimizer.step(x, state, toy, context);
  if (step.status === 'numerical-error') {
    status = step.status;
    break;
  }
  x = step.x;
  state = step.state;
}
export const result = { status, x, initialError, error: distance(x) };
console.log(status, initialError, result.error); // max-distance of x to the known solution, before and after
