import { createRng } from '@argmin/core';
import { expectAllClose } from '@argmin/core/testing';
import { describe, expect, it } from 'vitest';
import mfacReference from './__fixtures__/mfac-reference.json';
import scheduleReference from './__fixtures__/schedule-reference.json';
import {
  mfacApply,
  mfacOperator,
  mfacState,
  mfacStatic,
  mfacStaticApply,
  mfacStaticDiagonal,
  mfacStaticOperator,
  mfacUpdate,
  mfacUpdateAndApply,
} from './mfac';
import {
  cosineDecaySchedule,
  joinSchedules,
  linearSchedule,
  piecewiseConstantSchedule,
  refinedSchedule,
  refinementBound,
  warmupCosineDecaySchedule,
  warmupLinearDecaySchedule,
} from './schedules';

const close = (actual: ArrayLike<number>, expected: ArrayLike<number>, relative: number, label: string) =>
  expect(() => expectAllClose(actual, expected, { relative, absolute: 1e-14, label })).not.toThrow();

describe('M-FAC against numpy transcriptions of the reference code and dense solves (generate-mfac-reference.py)', () => {
  const { dimension: d, window: m, damping } = mfacReference;
  const stream = mfacReference.stream.map((g) => Float64Array.from(g));
  const v = Float64Array.from(mfacReference.v);
  const windowMatrix = {
    rows: m,
    cols: d,
    data: Float64Array.from(stream.slice(-m).flatMap((g) => Array.from(g))),
  };

  it('the dynamic update-and-multiply equals the reference HInvFastUpMulti at every step, through three ring wrap-arounds', () => {
    let state = mfacState(d, { window: m, damping });
    const out = new Float64Array(d);
    stream.forEach((g, t) => {
      state = mfacUpdateAndApply(state, g, out);
      close(out, mfacReference.dynamic[t].updateProduct, 1e-9, `F̂⁻¹g at step ${t}`);
      close(
        mfacApply(state, v, new Float64Array(d)),
        mfacReference.dynamic[t].product,
        1e-9,
        `F̂⁻¹v at step ${t}`,
      );
    });
  });
  it('the dynamic IHVP equals numpy.linalg.solve of (λI + GᵀG/m) at partial fill (3 < m gradients; divisor m)', () => {
    let state = mfacState(d, { window: m, damping });
    for (const g of stream.slice(0, 3)) state = mfacUpdate(state, g);
    close(mfacApply(state, v, new Float64Array(d)), mfacReference.densePartial, 1e-9, 'partial fill');
  });
  it('the static algorithm (HInvFastBatch) equals the dense solve and the dense inverse diagonal', () => {
    const fixed = mfacStatic(windowMatrix, { damping });
    close(mfacStaticApply(fixed, v, new Float64Array(d)), mfacReference.denseWindow, 1e-9, 'static IHVP');
    close(
      mfacStaticApply(fixed, v, new Float64Array(d)),
      mfacReference.staticProduct,
      1e-10,
      'static transcription',
    );
    close(mfacStaticDiagonal(fixed), mfacReference.denseDiagonal, 1e-9, 'static diagonal');
  });
  it('the blocked static variant equals the block-diagonal dense solve', () => {
    const blocked = mfacStatic(windowMatrix, { damping, blockSize: 8 });
    close(
      mfacStaticApply(blocked, v, new Float64Array(d)),
      mfacReference.denseBlocked8,
      1e-9,
      'blocked IHVP',
    );
    close(mfacStaticDiagonal(blocked), mfacReference.staticBlocked8Diagonal, 1e-10, 'blocked diagonal');
  });
  it('the order of the gradients in the window does not change the IHVP', () => {
    const reversed = {
      rows: m,
      cols: d,
      data: Float64Array.from(
        stream
          .slice(-m)
          .reverse()
          .flatMap((g) => Array.from(g)),
      ),
    };
    close(
      mfacStaticApply(mfacStatic(reversed, { damping }), v, new Float64Array(d)),
      mfacReference.denseWindow,
      1e-9,
      'reversed window',
    );
  });
  it('static and dynamic operators are symmetric: ⟨u, F̂⁻¹w⟩ = ⟨F̂⁻¹u, w⟩', () => {
    let state = mfacState(d, { window: m, damping });
    for (const g of stream) state = mfacUpdate(state, g);
    const rng = createRng(2);
    const u = rng.fillNormal(new Float64Array(d));
    const w = rng.fillNormal(new Float64Array(d));
    for (const op of [mfacOperator(state), mfacStaticOperator(mfacStatic(windowMatrix, { damping }))]) {
      const Fu = op.apply(u, new Float64Array(d));
      const Fw = op.apply(w, new Float64Array(d));
      const left = Fw.reduce((s, x, i) => s + x * u[i], 0);
      const right = Fu.reduce((s, x, i) => s + x * w[i], 0);
      expect(Math.abs(left - right)).toBeLessThan(1e-9 * Math.abs(left));
    }
  });
  it('a length mismatch is a named error', () => {
    const fixed = mfacStatic(windowMatrix, { damping });
    expect(() => mfacStaticApply(fixed, new Float64Array(d - 1), new Float64Array(d))).toThrowError(
      /must have length 30/,
    );
    expect(() => mfacStatic({ rows: 0, cols: d, data: new Float64Array(0) })).toThrowError(/m >= 1/);
    expect(() => mfacStatic(windowMatrix, { damping: 0 })).toThrowError(
      /damping λ must be a finite number > 0/,
    );
  });
});

describe('schedules against optax formulas and the refinement reference recipe (generate-schedule-reference.py)', () => {
  const { steps, optax } = scheduleReference;
  const at = (schedule: (t: number) => number) => steps.map((t) => schedule(t));
  it('cosine, linear, warm-up cosine and piecewise constant equal optax at sample steps', () => {
    close(at(cosineDecaySchedule(0.5, 100, 0.1)), optax.cosine, 1e-14, 'cosine');
    close(at(linearSchedule(1, 0.05, 90)), optax.linear, 1e-14, 'linear');
    close(at(warmupCosineDecaySchedule(0, 1, 10, 110, 0.01)), optax.warmupCosine, 1e-14, 'warm-up cosine');
    close(at(piecewiseConstantSchedule(1, { 30: 0.5, 80: 0.1 })), optax.piecewise, 1e-14, 'piecewise');
  });
  for (const c of scheduleReference.refinement) {
    it(`refinement equals the reference recipe: ${c.name}`, () => {
      const { values } = refinedSchedule(c.norms, { kind: c.kind as 'sgd' | 'adam' });
      close(values, c.values, 1e-10, c.name);
      const bound = refinementBound(
        c.norms,
        Array.from(values, (s) => Math.max(s, 1e-12)),
      );
      expect(bound.value).toBeCloseTo(c.boundRefined, 6);
      expect(Math.abs(bound.optimal - c.boundRefinedOptimal)).toBeLessThan(1e-9 * c.boundRefinedOptimal);
    });
  }
  it('the bound is scale-free at its optimal scale: B(c·λ) at c = scale equals `optimal`', () => {
    const norms = scheduleReference.refinement[8].norms;
    const steps = norms.map((_, t) => 1 - t / norms.length);
    const { optimal, scale } = refinementBound(norms, steps);
    expect(
      refinementBound(
        norms,
        steps.map((s) => s * scale),
      ).value,
    ).toBeCloseTo(optimal, 10);
    expect(
      refinementBound(
        norms,
        steps.map((s) => s * scale * 1.1),
      ).value,
    ).toBeGreaterThan(optimal);
  });
  it('join and warm-up linear decay: rises to the peak, then falls linearly to the end value', () => {
    const schedule = warmupLinearDecaySchedule(0, 1, 10, 110);
    expect(schedule(0)).toBe(0);
    expect(schedule(5)).toBe(0.5);
    expect(schedule(10)).toBe(1);
    expect(schedule(60)).toBe(0.5);
    expect(schedule(110)).toBe(0);
    expect(joinSchedules([() => 1, (t) => t], [3])(5)).toBe(2);
    expect(() => joinSchedules([() => 1], [3])).toThrowError(/one boundary fewer than schedules/);
  });
});
