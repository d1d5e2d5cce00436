import { createRegistry, runPipeline, validatePipeline } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { ringMixture } from './experiments/test-beds';
import { modeOccupancy } from './metrics';
import { diffusionPlugins } from './plugins';
import { diffusionProblems } from './problems';

describe('diffusion plugins', () => {
  it('registers every sampler with a unique diffusion/* id and a strict option schema', () => {
    const registry = createRegistry(diffusionPlugins);
    expect(registry.ids).toEqual([
      'diffusion/ddim',
      'diffusion/ddpm',
      'diffusion/pndm',
      'diffusion/dpm-solver-pp',
      'diffusion/time-shift',
      'diffusion/lcm',
    ]);
    expect(() => registry.create('diffusion/ddim', { etaa: 1 } as never)).toThrow(/etaa/);
  });

  it('runs a sampler from a pipeline on the ring problem and lands on the modes', () => {
    const validated = validatePipeline(
      {
        seed: 3,
        problem: { id: 'diffusion/ring-mixture', options: { samples: 400 } },
        stages: [{ method: 'diffusion/dpm-solver-pp', options: { numInferenceSteps: 20, order: 2 } }],
      },
      { methods: diffusionPlugins, problems: diffusionProblems },
    );
    const result = runPipeline(validated);
    expect(result.status).toBe('converged');
    expect(result.iterations).toBe(20);
    const { fractions, rmsDistance } = modeOccupancy(result.x, ringMixture().means);
    // 400 samples over 8 equal modes: every mode gets 12.5% +- 5 binomial standard deviations (1.65%)
    for (const f of fractions) expect(Math.abs(f - 0.125)).toBeLessThan(5 * Math.sqrt((0.125 * 0.875) / 400));
    // within-mode RMS distance of exact samples is 0.1 * sqrt(2) = 0.141
    expect(rmsDistance).toBeGreaterThan(0.1);
    expect(rmsDistance).toBeLessThan(0.2);
  });
});
