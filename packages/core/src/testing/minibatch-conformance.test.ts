import { describe, expect, it } from 'vitest';
import { randomLeastSquares } from '../problems/least-squares';
import { randomLogisticRegression } from '../problems/logistic-regression';
import { createRng } from '../rng/rng';
import type { Batch } from '../spec/oracle';
import type { Vec } from '../spec/vec';
import { describeMinibatchConformance, type MinibatchOracle, minibatchChecks } from './minibatch-conformance';

describeMinibatchConformance('least squares 30 x 5, batch size 1', () =>
  randomLeastSquares(30, 5, 0.1, createRng(5)),
);
describeMinibatchConformance('logistic regression 40 x 4 with l2 = 0.1', () =>
  randomLogisticRegression(40, 4, { l2: 0.1, rng: createRng(6) }),
);
describeMinibatchConformance(
  'logistic regression 25 x 3 without l2, points in [−3, 3]',
  () => randomLogisticRegression(25, 3, { rng: createRng(7) }),
  { scale: 3, batchSizes: [2, 25] },
);

const checkNamed = (fragment: string) => {
  const check = minibatchChecks.find((c) => c.name.includes(fragment));
  if (!check) throw new Error(`no check named like ${fragment}`);
  return check;
};

/** A correct oracle with one method replaced. */
function broken(
  patch: (base: ReturnType<typeof randomLeastSquares>) => Partial<MinibatchOracle>,
): MinibatchOracle {
  const base = randomLeastSquares(20, 4, 0.1, createRng(9));
  return { ...base, ...patch(base) } as MinibatchOracle;
}

describe('each minibatch check fails on an oracle that breaks it', () => {
  it('catches a drawBatch that ignores the requested size', () => {
    const oracle = broken((b) => ({ drawBatch: (rng) => b.drawBatch(rng, 2) }));
    expect(() => checkNamed('drawBatch returns').run(oracle)).toThrow(/expected 1|expected 3/);
  });
  it('catches a sampleGrad that draws its batch from a different stream than drawBatch', () => {
    const oracle = broken((b) => ({
      sampleGrad: (x: Vec, rng, out: Vec) => {
        rng.uniform();
        return b.batchGrad(b.drawBatch(rng), x, out);
      },
    }));
    expect(() => checkNamed('sampleGrad(x, rng)').run(oracle)).toThrow(/sampleGrad/);
  });
  it('catches a batchGrad off by a factor 2', () => {
    const oracle = broken((b) => ({
      batchGrad: (batch: Batch, x: Vec, out: Vec) => {
        b.batchGrad(batch, x, out);
        for (let i = 0; i < out.length; i++) out[i] *= 2;
        return out;
      },
    }));
    expect(() => checkNamed('batchGrad matches').run(oracle)).toThrow(/relative error/);
  });
  it('catches a batchHvp computed on a different batch than batchGrad', () => {
    const oracle = broken((b) => ({
      batchHvp: (_batch: Batch, x: Vec, v: Vec, out: Vec) => b.hvp(x, v, out),
    }));
    expect(() => checkNamed('batchHvp matches').run(oracle)).toThrow(/relative error/);
  });
  it('catches a batchValue that forgets the 1/|B| normalization (full batch differs from value)', () => {
    const oracle = broken((b) => ({
      batchValue: (batch: Batch, x: Vec) => b.batchValue(batch, x) * batch.indices.length,
      batchGrad: (batch: Batch, x: Vec, out: Vec) => {
        b.batchGrad(batch, x, out);
        for (let i = 0; i < out.length; i++) out[i] *= batch.indices.length;
        return out;
      },
    }));
    expect(() => checkNamed('all components').run(oracle)).toThrow(/batchValue\(all indices\)/);
  });
  it('catches a batchGrad that accumulates into out without clearing it', () => {
    const oracle = broken((b) => ({
      batchGrad: (batch: Batch, x: Vec, out: Vec) => {
        const g = b.batchGrad(batch, x, new Float64Array(out.length));
        for (let i = 0; i < out.length; i++) out[i] += g[i];
        return out;
      },
    }));
    expect(() => checkNamed('a batch is a value').run(oracle)).toThrow(/batchGrad left index 0/);
  });
  it('catches a batch whose evaluation depends on hidden state (a batch that is not a value)', () => {
    let calls = 0;
    const oracle = broken((b) => ({
      batchValue: (batch: Batch, x: Vec) => b.batchValue(batch, x) + 1e-14 * calls++,
    }));
    expect(() => checkNamed('a batch is a value').run(oracle)).toThrow(/batchValue on batch/);
  });
  it('catches a batchHvp that mutates v', () => {
    const oracle = broken((b) => ({
      batchHvp: (batch: Batch, x: Vec, v: Vec, out: Vec) => {
        b.batchHvp(batch, x, v, out);
        v[0] += 1;
        return out;
      },
    }));
    expect(() => checkNamed('inputs are not mutated').run(oracle)).toThrow(/v was mutated at index 0/);
  });
});
