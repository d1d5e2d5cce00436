/**
 * Property-based checks at the sampler boundary (fast-check, fixed seeds): any option object built from the
 * schema's keys and hostile values either constructs a sampler or throws a named ArgminError (never a raw
 * TypeError / RangeError / ZodError); every sampler that constructs, run on a small problem, returns a known
 * status with finite samples, and a model that turns NaN at a random call gives 'numerical-error' with finite
 * samples. Inputs are never mutated.
 */
import { ArgminError } from '@argmin/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ringMixture } from './experiments/test-beds';
import type { DenoiserModel } from './models/model';
import type { GridState, Sampler } from './samplers/common';
import { ddim, ddimOptions, ddpm, ddpmOptions } from './samplers/ddim';
import { dpmSolver, dpmSolverOptions } from './samplers/dpm-solver';
import { lcm, lcmOptions } from './samplers/lcm';
import { pndm, pndmOptions } from './samplers/pndm';
import { timeShift, timeShiftOptions } from './samplers/time-shift';
import { discreteSchedule } from './schedules/discrete';

const factories: [string, (options: never) => Sampler<GridState>, string[]][] = [
  ['ddim', ddim as never, Object.keys(ddimOptions.shape)],
  ['ddpm', ddpm as never, Object.keys(ddpmOptions.shape)],
  ['pndm', pndm as never, Object.keys(pndmOptions.shape)],
  ['dpmSolver', dpmSolver as never, Object.keys(dpmSolverOptions.shape)],
  ['lcm', lcm as never, Object.keys(lcmOptions.shape)],
  ['timeShift', timeShift as never, Object.keys(timeShiftOptions.shape)],
];

const hostile = fc.oneof(
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, -1, 0, 0.5, 1, 2, 3, 7, 1e9, -1e-9, 2.5),
  fc.constantFrom('x', '', 'linspace', 'trailing', 'leading', 'continuous', 'discrete', 'logSNR', 'heun'),
  fc.constantFrom(true, false, null, undefined, {}, [], [900, 500, 0], [0, 500], [999.5]),
);

const schedule = discreteSchedule({});
const ring = ringMixture();
const statuses = ['converged', 'max-iterations', 'numerical-error'];

describe('sampler boundary properties', () => {
  it.each(factories)(
    '%s: hostile options give a sampler or a named error; runs end in a known status',
    (_name, make, keys) => {
      const seen = { refused: 0, ran: 0, failed: 0 };
      fc.assert(
        fc.property(
          fc.dictionary(fc.constantFrom(...keys, 'num_inference_steps', 'tol'), hostile, { maxKeys: 3 }),
          fc.integer({ min: 1, max: 30 }),
          (options, badCall) => {
            const input = structuredClone(options);
            let sampler: Sampler<GridState> | undefined;
            try {
              sampler = make({ numInferenceSteps: 4, ...options } as never);
            } catch (error) {
              expect(ArgminError.isInstance(error), String(error)).toBe(true);
            }
            expect(options).toEqual(input);
            if (!sampler) return;
            const xT = Float64Array.of(0.3, -0.2, 1.1, 0.4);
            const copy = Float64Array.from(xT);
            let calls = 0;
            const failing: DenoiserModel = {
              dimension: 2,
              prediction: 'epsilon',
              predict(x, batch, level, out) {
                calls++;
                ring.predict(x, batch, level, out);
                if (calls === badCall) out[0] = Number.NaN;
                return out;
              },
            };
            for (const model of [ring, failing]) {
              calls = 0;
              let result: ReturnType<Sampler<GridState>['sample']> | undefined;
              try {
                result = sampler.sample(model, schedule, xT, { seed: 1 });
              } catch (error) {
                // options that only fail against a schedule (e.g. custom timesteps out of range) are named errors too
                expect(ArgminError.isInstance(error), String(error)).toBe(true);
                return;
              }
              expect(statuses).toContain(result.status);
              seen.ran++;
              if (result.status === 'numerical-error') seen.failed++;
              expect(Array.from(result.x).every(Number.isFinite)).toBe(true);
              if (model === failing && calls >= badCall) expect(result.status).toBe('numerical-error');
            }
            expect(Array.from(xT)).toEqual(Array.from(copy));
          },
        ),
        { seed: 20261206, numRuns: 60 },
      );
    },
  );
});
