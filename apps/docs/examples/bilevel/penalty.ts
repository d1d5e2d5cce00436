// The first-order penalty method (min f + (g − g*)/σ) on a toy bilevel problem with a known solution.
import { penaltyMethod, penaltyToy } from '@argmin/bilevel';
import { maxIterations, solve } from '@argmin/core';

const toy = penaltyToy({ a: [1, 2] });
export const result = solve(
  penaltyMethod({ sigma: 0.1, innerSteps: 30, innerStepSize: 0.2, stepSize: 0.2 }),
  toy,
  Float64Array.of(0),
  { stopWhen: maxIterations(300) },
);
console.log(result.status, Array.from(result.x));
