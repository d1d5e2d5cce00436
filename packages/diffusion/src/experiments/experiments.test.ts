import { type ExperimentReport, runExperiment } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { fewStepSamplersExperiment, runFewStepSamplers } from './few-step-samplers';
import { diffusionExperiments } from './index';
import { lcmMultistepExperiment, runLcmMultistep } from './lcm-multistep';
import { atScale } from './scale';
import { runTimeShift, timeShiftExperiment } from './time-shift';

describe('diffusion experiments', () => {
  it('registers the four reproductions with unique ids', () => {
    expect(diffusionExperiments.map((e) => e.id)).toEqual([
      'diffusion/few-step-samplers',
      'diffusion/guided-thresholding',
      'diffusion/time-shift',
      'diffusion/lcm-multistep',
    ]);
  });

  // The three long reproductions run here at the reduced 'test' scale (same grids and comparisons, fewer samples);
  // 'quick' and 'full' belong to `pnpm repro`. Each verdict is recomputed from the unrounded series it reports.
  const series = (report: ExperimentReport, name: string): readonly number[] => {
    const found = report.series.find((s) => s.name === name);
    if (!found) throw new Error(`no series ${name}`);
    return found.y;
  };

  it('few-step-samplers computes its verdict from its own measurements (all 26 comparisons recomputed)', async () => {
    const report = await runExperiment(atScale(fewStepSamplersExperiment, runFewStepSamplers, 'test'), {
      seed: 0,
    });
    let checks = 0;
    let held = 0;
    const less = (a: number, b: number, orEqual = false) => {
      checks++;
      if (orEqual ? a <= b : a < b) held++;
    };
    const nfeList = [5, 10, 15, 20, 30, 50];
    for (const mixture of ['8-mode 2-D ring', '64-dim mixture']) {
      const ddimA = series(report, `DDIM (order 1) (${mixture})`);
      const twoM = series(report, `DPM-Solver++ 2M (${mixture})`);
      const threeM = series(report, `DPM-Solver++ 3M (${mixture})`);
      nfeList.forEach((nfe, k) => {
        if (nfe < 10 || nfe > 20) return;
        less(twoM[k], ddimA[k]);
        less(threeM[k], ddimA[k]);
      });
      // trailing grid: DDIM at 5, 10, 20, 50, 1000 steps; S-/F-PNDM at 5, 10, 20, 50 steps
      const ddimB = series(report, `DDIM (${mixture})`);
      const spndm = series(report, `S-PNDM (${mixture})`);
      const fpndm = series(report, `F-PNDM (${mixture})`);
      for (const k of [1, 2, 3]) {
        less(spndm[k], ddimB[k]);
        less(fpndm[k], ddimB[k]);
      }
      less(Math.min(spndm[3], fpndm[3]), ddimB[4], true);
      // the table shows the same numbers, rounded to 4 significant digits
      const row = report.rows.find((r) => r.mixture === mixture && r.steps === 1000);
      expect(Number(row?.DDIM)).toBeCloseTo(Number(ddimB[4].toExponential(3)), 12);
    }
    expect(checks).toBe(26);
    const measured = /(\d+) of (\d+) comparisons hold/.exec(report.verdict.measured);
    expect(measured?.[2]).toBe('26');
    expect(Number(measured?.[1])).toBe(held);
    expect(report.verdict.status).toBe(held === 26 ? 'reproduced' : 'not-reproduced');
    expect(report.series.length).toBe(12);
  }, 20_000);

  it('guided-thresholding judges 2M against singlestep DPM-Solver-3 from its rows', async () => {
    const report = await runExperiment(diffusionExperiments[1], { seed: 0 });
    const failing: string[] = [];
    for (const row of report.rows) {
      const nfe = Number(row.NFE);
      if (nfe < 10 || nfe > 20) continue;
      const single = row['DPM-Solver-3 singlestep (noise)'];
      const singleError = single === 'diverged' ? Number.POSITIVE_INFINITY : Number(single);
      if (!(Number(row['DPM-Solver++ 2M']) < singleError)) failing.push(`2M ${nfe}`);
      if (Number(row['DPM-Solver++ 2M + thresholding |x|>1']) !== 0) failing.push(`sat ${nfe}`);
    }
    expect(report.verdict.status).toBe(failing.length === 0 ? 'reproduced' : 'not-reproduced');
  }, 60_000);

  it('time-shift counts the settings where TS lowers the Frechet distance', async () => {
    const report = await runExperiment(atScale(timeShiftExperiment, runTimeShift, 'test'), { seed: 0 });
    expect(report.rows).toHaveLength(12);
    let helped = 0;
    for (const base of ['ddim', 's-pndm', 'f-pndm']) {
      const without = series(report, `${base} without TS`);
      const withTs = series(report, `${base} with TS`);
      const rows = report.rows.filter((row) => row.sampler === base);
      without.forEach((fd, k) => {
        const helps = withTs[k] < fd;
        if (helps) helped++;
        expect(rows[k]['TS helps']).toBe(helps);
      });
    }
    expect(report.verdict.measured).toContain(`in ${helped} of 12 settings`);
    expect(report.verdict.status).toBe(helped > 6 ? 'reproduced' : 'not-reproduced');
  }, 20_000);

  it('lcm-multistep judges each step count against the largest Frechet distance of 50 exact-sample draws', async () => {
    const report = await runExperiment(atScale(lcmMultistepExperiment, runLcmMultistep, 'test'), {
      seed: 0,
    });
    expect(report.rows.map((row) => row.timesteps)).toEqual([
      '999',
      '999, 499',
      '999, 759, 499, 259',
      '999, 879, 759, 639, 499, 379, 259, 139',
    ]);
    const exact = series(report, 'exact consistency function');
    const plain = series(report, 'plain diffusion model (posterior mean)');
    const threshold = series(report, 'exact samples (max of 50 draws)');
    let held = 0;
    report.rows.forEach((row, k) => {
      const ok = exact[k] <= threshold[k] && plain[k] > threshold[k];
      expect(row.holds).toBe(ok);
      if (ok) held++;
    });
    expect(report.verdict.measured).toMatch(new RegExp(`^${held} of 4 step counts`));
    expect(report.verdict.status).toBe(held === 4 ? 'reproduced' : 'not-reproduced');
  }, 20_000);
});
