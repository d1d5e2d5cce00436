// Sinkhorn-Newton-Sparse against log-domain Sinkhorn on a random assignment problem (η = 300).
import { createRng } from '@argmin/core';
import { sinkhorn, sns } from '@argmin/ot';

const n = 100;
const rng = createRng(0);
const cost = { rows: n, cols: n, data: rng.fillUniform(new Float64Array(n * n)) };
const w = new Float64Array(n).fill(1 / n);

const newton = sns(w, w, cost, { regularization: 1 / 300, density: 5 / n });
const baseline = sinkhorn(w, w, cost, {
  regularization: 1 / 300,
  method: 'log',
  maxIterations: 100000,
  marginalNorm: 'l1',
});
console.log(
  `SNS: ${newton.sinkhornIterations} + ${newton.newtonIterations} iterations; Sinkhorn: ${baseline.iterations}`,
);

export { baseline, newton };
