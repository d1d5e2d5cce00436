import { describe, expect, it } from 'vitest';
import { defineExperiment, runExperiment, verdictFrom } from '../experiment/define-experiment';
import { coreExperiments } from './index';

describe('core/lbfgs-vs-gd', () => {
  it('computes its verdict from its measurements, with rows, curves and a plot spec', async () => {
    const progress: number[] = [];
    const report = await runExperiment(coreExperiments[0], { seed: 0, onProgress: (f) => progress.push(f) });
    expect(report.rows).toHaveLength(3);
    const ratios = report.rows.map((r) => r['iteration ratio'] as number);
    const expected =
      Math.min(...ratios) >= 10 && report.rows.every((r) => r['L-BFGS status'] === 'converged')
        ? 'reproduced'
        : 'not-reproduced';
    expect(report.verdict.status).toBe(expected);
    expect(report.verdict.measured).toContain(Math.min(...ratios).toFixed(1));
    expect(report.series.length).toBe(6);
    expect(report.plots?.convergence.logY).toBe(true);
    expect(progress.at(-1)).toBe(1);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
  });
});

describe('defineExperiment and verdictFrom', () => {
  it('rejects a malformed id or a missing claim', () => {
    expect(() =>
      defineExperiment({
        id: 'Bad Id',
        title: 't',
        paper: { title: 'p' },
        claim: 'c',
        run: () => ({}) as never,
      }),
    ).toThrowError(/kebab-case/);
    expect(() =>
      defineExperiment({ id: 'a/b', title: 't', paper: { title: 'p' }, claim: '', run: () => ({}) as never }),
    ).toThrowError(/`claim` and `paper.title` are required/);
  });
  it('says not-reproduced when the measurement misses the threshold, inconclusive when it is NaN', () => {
    expect(verdictFrom({ value: 3, holds: 3 >= 10, measured: '3x', threshold: '>= 10x' }).status).toBe(
      'not-reproduced',
    );
    expect(
      verdictFrom({ value: Number.NaN, holds: false, measured: 'n/a', threshold: '>= 10x' }).status,
    ).toBe('inconclusive');
    expect(verdictFrom({ value: 12, holds: true, measured: '12x', threshold: '>= 10x' }).summary).toBe(
      'Reproduced (measured 12x; threshold >= 10x).',
    );
  });
});
