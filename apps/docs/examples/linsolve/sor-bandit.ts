// Learning to Relax: a Tsallis-INF bandit picks SOR's omega for each system of a sequence and learns
// from the iteration count.
import { createRng } from '@argmin/core';
import { poisson2d, sor, tsallisInf } from '@argmin/linsolve';

const learner = tsallisInf();
const rng = createRng(0);
const { matrix, rhs } = poisson2d(12);
export const iterations: number[] = [];
for (let t = 0; t < 10; t++) {
  const arm = learner.select(rng);
  const run = sor(matrix, rhs, { omega: learner.arms[arm], tolerance: 1e-6 });
  learner.update(arm, run.iterations);
  iterations.push(run.iterations);
}
export const result = { iterations };
console.log(iterations);
