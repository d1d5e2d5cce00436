import { describe, expect, it } from 'vitest';
import { randomBilevelQuadratic, randomTwoBlock } from '../problems/two-block';
import { createRng } from '../rng/rng';
import type { TwoBlockFunction } from '../spec/derivatives';
import type { Vec } from '../spec/vec';
import { describeTwoBlockConformance, twoBlockChecks } from './two-block-conformance';

describeTwoBlockConformance('randomTwoBlock 3 x 4, coupling 0.3', () =>
  randomTwoBlock(3, 4, createRng(11), { coupling: 0.3 }),
);
describeTwoBlockConformance(
  'randomTwoBlock 1 x 6, points in [−2, 2]',
  () => randomTwoBlock(1, 6, createRng(12)),
  {
    scale: 2,
  },
);
describeTwoBlockConformance(
  'bilevel quadratic upper level',
  () => randomBilevelQuadratic(3, 5, createRng(21)).upper,
);
describeTwoBlockConformance(
  'bilevel quadratic lower level',
  () => randomBilevelQuadratic(3, 5, createRng(21)).lower,
);

const named = (fragment: string) => {
  const check = twoBlockChecks.find((c) => c.name.includes(fragment));
  if (!check) throw new Error(fragment);
  return check;
};
const base = () => randomTwoBlock(3, 4, createRng(11), { coupling: 0.3 });
const patched = (patch: (g: ReturnType<typeof base>) => object): TwoBlockFunction<never> => {
  const g = base();
  return { ...g, ...patch(g) } as TwoBlockFunction<never>;
};

describe('each two-block check fails on a function that breaks it', () => {
  it('a gradX missing the x³ term', () => {
    const g = patched((g) => ({
      gradX: (x: Vec, y: Vec, out: Vec) => {
        g.gradX(x, y, out);
        for (let i = 0; i < 3; i++) out[i] -= x[i] ** 3;
        return out;
      },
    }));
    expect(() => named('gradX and hvpXX').run(g)).toThrow(/gradX: relative error/);
  });
  it('an hvpYY that forgets the 2 diag(Dᵀx) term', () => {
    const g = patched((g) => ({
      hvpYY: (_x: Vec, _y: Vec, v: Vec, out: Vec) => g.hvpYY(new Float64Array(3), _y, v, out),
    }));
    expect(() => named('gradY and hvpYY').run(g)).toThrow(/hvpYY: relative error/);
  });
  it('a crossHvpXY and crossHvpYX that are each other’s transposes but both wrong (sign flipped)', () => {
    const g = patched((g) => ({
      crossHvpXY: (x: Vec, y: Vec, v: Vec, out: Vec) => g.crossHvpXY(x, y, v, out).map((t) => -t),
      crossHvpYX: (x: Vec, y: Vec, u: Vec, out: Vec) => g.crossHvpYX(x, y, u, out).map((t) => -t),
    }));
    expect(() => named('crossHvpXY (').run(g)).toThrow(/crossHvpXY: relative error/);
    expect(() => named('crossHvpYX (').run(g)).toThrow(/crossHvpYX: relative error/);
  });
  it('a crossHvpYX that is not the transpose of crossHvpXY', () => {
    const g = patched((g) => ({
      crossHvpYX: (x: Vec, y: Vec, u: Vec, out: Vec) => {
        g.crossHvpYX(x, y, u, out);
        out[0] += u[1];
        return out;
      },
    }));
    expect(() => named('is the transpose').run(g)).toThrow(/⟨∇²_xy g · v, u⟩ = .* but ⟨v, ∇²_yx g · u⟩ = /);
  });
  it('a gradY that accumulates into out, and one that mutates y', () => {
    const accumulating = patched((g) => ({
      gradY: (x: Vec, y: Vec, out: Vec) => {
        const fresh = g.gradY(x, y, new Float64Array(4));
        for (let j = 0; j < 4; j++) out[j] += fresh[j];
        return out;
      },
    }));
    expect(() => named('writes every entry').run(accumulating)).toThrow(/gradY left out\[0\] = NaN/);
    const mutating = patched((g) => ({
      gradY: (x: Vec, y: Vec, out: Vec) => {
        g.gradY(x, y, out);
        y[1] = 0;
        return out;
      },
    }));
    expect(() => named('writes every entry').run(mutating)).toThrow(/y\[1\] was mutated/);
  });
});
