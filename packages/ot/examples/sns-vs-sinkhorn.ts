// Sinkhorn-Newton-Sparse against Sinkhorn on a random assignment problem (η = 200, the notes' CI case).
import { createRng } from '@argmin/core';
import { sinkhorn, sns } from '@argmin/ot';

const n = 100;
const rng = createRng(0);
const cost = { rows: n, cols: n, data: rng.fillUniform(new Float64Array(n * n)) };
const w = new Float64Array(n).fill(1 / n);

const newton = sns(w, w, cost, { regularization: 1 / 200, density: 5 / n });
const baseline = sinkhorn(w, w, cost, {
  regularization: 1 / 200,
  method: 'standard', // no underflow at η = 200 with costs in [0, 1]
  maxIterations: 100000,
  marginalNorm: 'l1',
});
console.log(
  `SNS: ${newton.sinkhornIterations} + ${newton.newtonIterations} iterations; Sinkhorn: ${baseline.iterations}`,
);

export { baseline, newton };
