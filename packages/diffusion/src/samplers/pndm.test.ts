import { createRng, InvalidArgumentError } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { ringMixture } from '../experiments/test-beds';
import { referenceSolution, strongError } from '../metrics';
import { countCalls } from '../models/model';
import { discreteSchedule } from '../schedules/discrete';
import { levelFromAlphaBar } from '../schedules/schedule';
import { pndm, referenceTransferLevel } from './pndm';

const schedule = discreteSchedule({ betaSchedule: 'linear' });
const bar = schedule.alphasCumprod as Float64Array;

describe("PNDM alphaIndexing: 'reference' (luping-liu/PNDM reads ᾱ at t + 1)", () => {
  it('the transfer level reads alphas_cump[trunc(t) + 1]: t = -1 reads ᾱ_0, t = -0.5 reads ᾱ_1, 987.5 reads ᾱ_988', () => {
    expect(referenceTransferLevel(bar, -1).alpha).toBe(Math.sqrt(bar[0]));
    expect(referenceTransferLevel(bar, -0.5).alpha).toBe(Math.sqrt(bar[1]));
    expect(referenceTransferLevel(bar, 987.5).alpha).toBe(Math.sqrt(bar[988]));
    expect(referenceTransferLevel(bar, 900).alpha).toBe(Math.sqrt(bar[901]));
  });

  it('the model is still called at its own time t and level ᾱ[t] (F-PNDM, 19 NFE at 10 steps)', () => {
    const mixture = ringMixture();
    const model = countCalls(mixture);
    const xT = mixture.sampleMarginal(4, levelFromAlphaBar(900, bar[900]), createRng(1));
    pndm({ numInferenceSteps: 10, alphaIndexing: 'reference' }).sample(model, schedule, xT);
    expect(model.calls).toBe(19);
    const times = model.levels.map((l) => l.time);
    expect(times.slice(0, 12)).toEqual([900, 850, 850, 800, 800, 750, 750, 700, 700, 650, 650, 600]);
    for (const level of model.levels) {
      expect(level.alpha).toBe(Math.sqrt(bar[Math.max(0, Math.floor(level.time))]));
    }
  });

  it('on the 8-mode ring, F-PNDM at 10 steps: the indexings differ by ~1e-2 relative, with strong errors within 20% of each other', () => {
    const model = ringMixture();
    const start = levelFromAlphaBar(900, bar[900]);
    const xT = model.sampleMarginal(200, start, createRng(3));
    const diffusers = pndm({ numInferenceSteps: 10 }).sample(model, schedule, xT).x;
    const reference = pndm({ numInferenceSteps: 10, alphaIndexing: 'reference' }).sample(
      model,
      schedule,
      xT,
    ).x;
    let difference = 0;
    let size = 0;
    for (let i = 0; i < xT.length; i++) {
      difference += (diffusers[i] - reference[i]) ** 2;
      size += diffusers[i] ** 2;
    }
    const relative = Math.sqrt(difference / size);
    // measured 9.35e-3 (issue 26 reports 9.6e-3 on its mixture): far above rounding, far below a method change
    expect(relative).toBeGreaterThan(3e-3);
    expect(relative).toBeLessThan(3e-2);
    // strong errors to the exact probability-flow solution: measured 1.76e-1 (diffusers) and 1.67e-1 (reference)
    const exact = referenceSolution(model, xT, start, levelFromAlphaBar(-1, bar[0]));
    const ratio = strongError(reference, exact, 2) / strongError(diffusers, exact, 2);
    expect(ratio).toBeGreaterThan(0.8);
    expect(ratio).toBeLessThan(1.2);
  });

  it('refuses combinations the reference does not have: PLMS, setAlphaToOne, timesteps above Ntrain - 2', () => {
    const model = ringMixture();
    const xT = new Float64Array(2);
    const named = (action: () => unknown, pattern: RegExp) => {
      let error: unknown;
      try {
        action();
      } catch (e) {
        error = e;
      }
      expect(InvalidArgumentError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(pattern);
    };
    named(() => pndm({ method: 'plms', alphaIndexing: 'reference' }), /S-PNDM and F-PNDM only/);
    named(() => pndm({ setAlphaToOne: true, alphaIndexing: 'reference' }), /no effect/);
    named(
      () =>
        pndm({ alphaIndexing: 'reference', timestepSpacing: 'trailing', numInferenceSteps: 10 }).sample(
          model,
          schedule,
          xT,
        ),
      /999.*<= 998|<= 998/,
    );
  });
});
