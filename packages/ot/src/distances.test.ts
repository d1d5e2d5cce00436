import { createRng, InvalidArgumentError } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import reference from './__fixtures__/pot-reference.json';
import { squaredEuclideanCost } from './cost';
import { gaussianW2, sinkhornDivergence, slicedWasserstein, wasserstein1d } from './distances';
import { emd2 } from './emd/emd';

describe('wasserstein1d equals POT ot.wasserstein_1d (W_p^p)', () => {
  const w = reference.wasserstein1d;
  const args = [Float64Array.from(w.u), Float64Array.from(w.v)] as const;
  const weights = { uWeights: Float64Array.from(w.uWeights), vWeights: Float64Array.from(w.vWeights) };
  it('p = 1', () => expect(wasserstein1d(...args, { ...weights, p: 1 })).toBeCloseTo(w.p1, 12));
  it('p = 2', () => expect(wasserstein1d(...args, { ...weights, p: 2 })).toBeCloseTo(w.p2, 12));
  it('equals emd with the |x − y|^p cost', () => {
    const u = Float64Array.of(0, 1, 3);
    const v = Float64Array.of(0.5, 2);
    const cost = {
      rows: 3,
      cols: 2,
      data: Float64Array.from([0, 1, 2].flatMap((i) => [0, 1].map((j) => (u[i] - v[j]) ** 2))),
    };
    expect(wasserstein1d(u, v, { p: 2 })).toBeCloseTo(
      emd2(new Float64Array(3).fill(1 / 3), Float64Array.of(0.5, 0.5), cost),
      12,
    );
  });
});

describe('slicedWasserstein', () => {
  it('is zero between identical clouds, positive otherwise, and reproducible by seed', () => {
    const rng = createRng(1);
    const X = { rows: 20, cols: 3, data: rng.fillNormal(new Float64Array(60)) };
    const Y = { rows: 20, cols: 3, data: rng.fillNormal(new Float64Array(60), 1) };
    expect(slicedWasserstein(X, X, { seed: 3 })).toBeCloseTo(0, 14);
    const d = slicedWasserstein(X, Y, { seed: 3, projections: 100 });
    expect(d).toBeGreaterThan(0.5);
    expect(slicedWasserstein(X, Y, { seed: 3, projections: 100 })).toBe(d);
  });
  it('rejects clouds of different dimensions', () => {
    expect(() =>
      slicedWasserstein(
        { rows: 1, cols: 2, data: new Float64Array(2) },
        { rows: 1, cols: 3, data: new Float64Array(3) },
      ),
    ).toThrowError(InvalidArgumentError);
  });
});

describe('slicedWasserstein and sinkhornDivergence equal POT for the same seed / regularization', () => {
  const cloud = (rows: number, dim: number, data: number[]) => ({
    rows,
    cols: dim,
    data: Float64Array.from(data),
  });
  const s = reference.sliced;
  const X = cloud(s.rows, s.dim, s.X);
  const Y = cloud(s.cols, s.dim, s.Y);
  it('ot.sliced_wasserstein_distance(X, Y, n_projections=50, seed=7) and (20, p=1, seed=3)', () => {
    expect(slicedWasserstein(X, Y, { projections: 50, seed: 7 })).toBeCloseTo(s.p2seed7, 12);
    expect(slicedWasserstein(X, Y, { projections: 20, p: 1, seed: 3 })).toBeCloseTo(
      s.p1seed3projections20,
      12,
    );
  });
  it('ot.bregman.empirical_sinkhorn_divergence(X, Y, reg) for reg = 1 and 0.5', () => {
    const d = reference.divergence;
    expect(sinkhornDivergence(X, Y, { regularization: 1 })).toBeCloseTo(d.reg1, 10);
    expect(sinkhornDivergence(X, Y, { regularization: 0.5 })).toBeCloseTo(d.reg05, 10);
  });
});

describe('sinkhornDivergence', () => {
  it('is zero for identical clouds and positive and growing with a shift', () => {
    const rng = createRng(2);
    const X = { rows: 15, cols: 2, data: rng.fillNormal(new Float64Array(30)) };
    const shifted = (t: number) => ({ ...X, data: X.data.map((x, i) => (i % 2 === 0 ? x + t : x)) });
    expect(Math.abs(sinkhornDivergence(X, X, { regularization: 0.5 }))).toBeLessThan(1e-10);
    const d1 = sinkhornDivergence(X, shifted(0.5), { regularization: 0.5 });
    const d2 = sinkhornDivergence(X, shifted(1), { regularization: 0.5 });
    expect(d1).toBeGreaterThan(0);
    expect(d2).toBeGreaterThan(d1);
    expect(
      emd2(
        new Float64Array(15).fill(1 / 15),
        new Float64Array(15).fill(1 / 15),
        squaredEuclideanCost(X, shifted(1)),
      ),
    ).toBeCloseTo(1, 10);
  });
});

describe('gaussianW2', () => {
  it('equals the scipy sqrtm formula on random 4-D Gaussians', () => {
    const g = reference.gaussian;
    const cov = (data: number[]) => ({ rows: 4, cols: 4, data: Float64Array.from(data) });
    const { squared, distance } = gaussianW2(
      Float64Array.from(g.mean1),
      cov(g.cov1),
      Float64Array.from(g.mean2),
      cov(g.cov2),
    );
    expect(Math.abs(squared - g.squared) / g.squared).toBeLessThan(1e-10);
    expect(distance).toBeCloseTo(Math.sqrt(g.squared), 10);
  });
  it('is ‖m₁ − m₂‖ for equal covariances and |σ₁ − σ₂|·√d for isotropic ones', () => {
    const I = { rows: 2, cols: 2, data: Float64Array.of(1, 0, 0, 1) };
    expect(gaussianW2(Float64Array.of(0, 0), I, Float64Array.of(3, 4), I).distance).toBeCloseTo(5, 12);
    const fourI = { rows: 2, cols: 2, data: Float64Array.of(4, 0, 0, 4) };
    expect(gaussianW2(Float64Array.of(0, 0), I, Float64Array.of(0, 0), fourI).squared).toBeCloseTo(2, 12);
  });
  it('is symmetric for general covariances', () => {
    const A = { rows: 2, cols: 2, data: Float64Array.of(2, 0.5, 0.5, 1) };
    const B = { rows: 2, cols: 2, data: Float64Array.of(1, -0.3, -0.3, 3) };
    const m = Float64Array.of(0, 1);
    expect(gaussianW2(m, A, m, B).squared).toBeCloseTo(gaussianW2(m, B, m, A).squared, 12);
  });
  it('rejects mismatched shapes', () => {
    expect(() =>
      gaussianW2(Float64Array.of(0), { rows: 2, cols: 2, data: new Float64Array(4) }, Float64Array.of(0), {
        rows: 1,
        cols: 1,
        data: Float64Array.of(1),
      }),
    ).toThrowError(/covariances be d x d/);
  });
});
