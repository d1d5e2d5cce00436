import { createRng, spmv } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { maxAbsDifference } from '../test-helpers';
import { darcySequence, heatEquation, helmholtzSystem, poisson2d, shiftedLaplacianSequence } from './pde';
import { gaussianRandomField, sampleBeta } from './random-field';

describe('problem generators', () => {
  it('the stencil operators equal their CSR matrices', () => {
    const rng = createRng(3);
    const x = new Float64Array(20 * 17).map(() => rng.normal());
    const poisson = poisson2d(20, 17);
    expect(
      maxAbsDifference(
        poisson.operator.apply(x, new Float64Array(x.length)),
        spmv(poisson.matrix, x, new Float64Array(x.length)),
      ),
    ).toBeLessThan(1e-14);
    const y = new Float64Array(16 * 16).map(() => rng.normal());
    for (const system of [
      ...darcySequence(rng, 2, { gridSize: 16 }),
      helmholtzSystem(rng, { gridSize: 16 }),
    ]) {
      expect(
        maxAbsDifference(
          system.operator.apply(y, new Float64Array(y.length)),
          spmv(system.matrix, y, new Float64Array(y.length)),
        ),
      ).toBeLessThan(1e-12);
    }
    const heat = heatEquation({ gridIntervals: 12 });
    const system = heat.system(100, heat.initial());
    const z = new Float64Array(heat.size).map(() => rng.normal());
    expect(
      maxAbsDifference(
        system.operator.apply(z, new Float64Array(z.length)),
        spmv(system.matrix, z, new Float64Array(z.length)),
      ),
    ).toBeLessThan(1e-12);
  });
  it('Poisson has 4 on the diagonal, -1 at the neighbours and is symmetric', () => {
    const { matrix } = poisson2d(3);
    expect(matrix.rowPointers[matrix.rows]).toBe(9 + 2 * 12);
    expect(Array.from(matrix.values.slice(0, 3))).toEqual([4, -1, -1]);
  });
  it('Darcy: same seed, same bits; K = exp(GRF) > 0; the matrix uses K at the neighbour node (non-symmetric)', () => {
    const a = darcySequence(createRng(9), 2, { gridSize: 12 });
    const b = darcySequence(createRng(9), 2, { gridSize: 12 });
    expect(a[1].matrix.values).toEqual(b[1].matrix.values);
    expect(a[0].parameters.every((k) => k > 0)).toBe(true);
    const { rowPointers, columnIndices, values } = a[0].matrix;
    // row 0: diagonal 4K_0, east neighbour -K_1
    expect(values[rowPointers[0]]).toBeCloseTo(4 * a[0].parameters[0], 14);
    expect(columnIndices[rowPointers[0] + 1]).toBe(1);
    expect(values[rowPointers[0] + 1]).toBeCloseTo(-a[0].parameters[1], 14);
    expect(a[0].parameters[0]).not.toBeCloseTo(a[0].parameters[1], 6);
  });
  it('the GRF is smooth: neighbouring values correlate far more than distant ones', () => {
    const rng = createRng(5);
    let near = 0;
    let far = 0;
    for (let trial = 0; trial < 20; trial++) {
      const u = gaussianRandomField(32, rng);
      near += u[0] * u[1];
      far += u[0] * u[31 * 32 + 31];
      expect(Math.abs(u.reduce((s, v) => s + v, 0) / u.length)).toBeLessThan(1); // constant mode dropped
    }
    expect(near).toBeGreaterThan(Math.abs(far));
  });
  it('Beta sampler has the right mean (0.25 for Beta(0.5, 1.5), 0.25 for Beta(2, 6))', () => {
    const rng = createRng(11);
    for (const [a, b] of [
      [0.5, 1.5],
      [2, 6],
    ]) {
      let s = 0;
      for (let i = 0; i < 20000; i++) s += sampleBeta(rng, a, b);
      expect(s / 20000).toBeCloseTo(a / (a + b), 2);
    }
  });
  it('shifted Laplacian: shifts in [-0.15, 0.45], ||b|| <= sqrt(n)', () => {
    const systems = shiftedLaplacianSequence(createRng(2), 50);
    for (const s of systems) {
      expect(s.context).toBeGreaterThanOrEqual(-0.15);
      expect(s.context).toBeLessThanOrEqual(0.45);
      expect(Math.hypot(...s.rhs)).toBeLessThanOrEqual(10);
    }
  });
  it('heat: κ(t) in [0, 10], A SPD-diagonally dominant, b = u + O(dt) when κ = 0', () => {
    const heat = heatEquation();
    expect(heat.size).toBe(576);
    for (let t = 0; t < 1; t += 0.01) {
      expect(heat.diffusivity(t)).toBeGreaterThanOrEqual(0);
      expect(heat.diffusivity(t)).toBeLessThanOrEqual(10);
    }
    expect(heat.diffusivity(0.75)).toBeCloseTo(10, 10);
    const u = heat.initial();
    const system = heat.system(0, u);
    expect(system.context).toBeGreaterThan(0);
    expect(system.matrix.values[0]).toBeGreaterThan(1);
  });
});
