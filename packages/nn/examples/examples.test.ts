import { createRng } from '@argmin/core';
import { describe, expect, it, vi } from 'vitest';
import { runTrainMlp, trainMlpSizes } from '../src/experiments/train-mlp';

describe('examples and experiments', () => {
  it('train-two-spirals.ts fits the training set', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { accuracy, result } = await import('./train-two-spirals');
    log.mockRestore();
    expect(result.info.value).toBeLessThan(0.1);
    expect(accuracy).toBeGreaterThan(0.95);
  });
  it('nn/train-mlp (reduced test size) computes its verdict from the measured median test accuracy', () => {
    const context = { seed: 0, rng: createRng(0), progress: () => undefined, size: 'quick' as const };
    const report = runTrainMlp(context, trainMlpSizes.test);
    const accuracies = report.rows.map((r) => r['test accuracy'] as number).sort((a, b) => a - b);
    const median = accuracies[Math.floor(accuracies.length / 2)];
    expect(report.verdict.status).toBe(median >= 0.95 ? 'reproduced' : 'not-reproduced');
    expect(report.verdict.measured).toContain((median * 100).toFixed(1));
    expect(report.series.some((s) => s.plot === 'loss' && s.y.length > 5)).toBe(true);
  });
});
