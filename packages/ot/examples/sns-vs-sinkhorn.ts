// Sinkhorn-Newton-Sparse against Sinkhorn on a random assignment problem (η = 200, the notes' CI case),
// both stopped on the same marginal error ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ <= 1e-9.
import { createRng } from '@argmin/core';
import { sinkhorn, sns, uniform } from '@argmin/ot';

const n = 100;
const rng = createRng(0);
const cost = { rows: n, cols: n, data: rng.fillUniform(new Float64Array(n * n)) };
const w = uniform(n);

// λ = 5/n: about 5 kept entries of P per row in the sparsified Hessian.
const newton = sns(w, w, cost, { regularization: 1 / 200, density: 5 / n, tolerance: 1e-9 });
const baseline = sinkhorn(w, w, cost, {
  regularization: 1 / 200,
  method: 'stabilized',
  maxIterations: 100000,
  tolerance: 1e-9,
  marginalNorm: 'l1',
});
console.log(
  `SNS: ${newton.status}, ${newton.sinkhornIterations} + ${newton.newtonIterations} iterations; Sinkhorn: ${baseline.status}, ${baseline.iterations} sweeps`,
);

export { baseline, newton };
