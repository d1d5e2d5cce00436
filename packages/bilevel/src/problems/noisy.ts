import { type Batch, InvalidArgumentError, type Rng, type Vec } from '@argmin/core';
import type { BilevelOracle } from '../problem/bilevel-oracle';

/**
 * Additive Gaussian noise on every derivative of a deterministic bilevel problem (the stochastic
 * oracles of the notes' probes, §11(b) and §12(b)). A batch carries its noise draws in `payload`, so
 * one batch evaluated twice gives the same numbers (a batch is a value) and a method can take a
 * gradient and a Hessian-vector product on the same sample. Without a batch the exact derivative.
 *
 * Gradients get N(0, gradientNoise²) per entry; ∇²_yy g · v gets a diagonal Hessian perturbation
 * (H + diag(ξ)) v with ξ ~ N(0, hessianNoise²); ∇²_xy g · v gets N(0, hessianNoise²)·‖v‖ per entry.
 */
export function noisyBilevel(
  problem: BilevelOracle,
  { gradientNoise, hessianNoise = 0 }: { gradientNoise: number; hessianNoise?: number },
): BilevelOracle {
  for (const [name, value] of [
    ['gradientNoise', gradientNoise],
    ['hessianNoise', hessianNoise],
  ] as const) {
    if (!(value >= 0) || !Number.isFinite(value)) {
      throw new InvalidArgumentError({
        argument: name,
        value,
        message: `noisyBilevel: \`${name}\` must be a finite number >= 0; got ${value}.`,
      });
    }
  }
  const { dimX, dimY } = problem;
  // One noise vector per derivative kind: [gradX (dimX) | gradY (dimY) | hessDiag (dimY) | cross (dimX)].
  const width = 2 * dimX + 2 * dimY;
  const draw = (rng: Rng): Batch => {
    const noise = new Float64Array(width);
    for (let i = 0; i < width; i++) noise[i] = rng.normal();
    return { indices: new Int32Array(0), payload: noise };
  };
  const noiseOf = (batch: Batch | undefined): Float64Array | undefined =>
    batch?.payload instanceof Float64Array && batch.payload.length === width ? batch.payload : undefined;
  const addGrad = (out: Vec, batch: Batch | undefined, offset: number, length: number): Vec => {
    const noise = noiseOf(batch);
    if (noise) for (let i = 0; i < length; i++) out[i] += gradientNoise * noise[offset + i];
    return out;
  };
  return {
    dimX,
    dimY,
    upperValue: (x, y) => problem.upperValue(x, y),
    upperGradX: (x, y, out, batch) => addGrad(problem.upperGradX(x, y, out), batch, 0, dimX),
    upperGradY: (x, y, out, batch) => addGrad(problem.upperGradY(x, y, out), batch, dimX, dimY),
    lowerValue: (x, y) => problem.lowerValue(x, y),
    lowerGradX: (x, y, out, batch) => addGrad(problem.lowerGradX(x, y, out), batch, 0, dimX),
    lowerGradY: (x, y, out, batch) => addGrad(problem.lowerGradY(x, y, out), batch, dimX, dimY),
    lowerHvpYY(x, y, v, out, batch) {
      problem.lowerHvpYY(x, y, v, out);
      const noise = noiseOf(batch);
      if (noise) for (let i = 0; i < dimY; i++) out[i] += hessianNoise * noise[dimX + dimY + i] * v[i];
      return out;
    },
    lowerCrossXY(x, y, v, out, batch) {
      problem.lowerCrossXY(x, y, v, out);
      const noise = noiseOf(batch);
      if (noise && hessianNoise > 0) {
        let norm = 0;
        for (let i = 0; i < dimY; i++) norm += v[i] * v[i];
        norm = Math.sqrt(norm);
        for (let i = 0; i < dimX; i++) out[i] += hessianNoise * norm * noise[dimX + 2 * dimY + i];
      }
      return out;
    },
    drawUpperBatch: draw,
    drawLowerBatch: draw,
    projectX: problem.projectX,
    projectY: problem.projectY,
    lowerSolution: problem.lowerSolution,
    hyperValue: problem.hyperValue,
    hyperGradient: problem.hyperGradient,
  };
}
