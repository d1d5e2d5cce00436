import { runExperiment } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { snsVsSinkhornExperiment } from './sns-vs-sinkhorn';

describe('ot/sns-vs-sinkhorn', () => {
  it('computes its verdict from its own rows (>= 10x fewer iterations, converged and faster, on a majority)', async () => {
    const report = await runExperiment(snsVsSinkhornExperiment, { seed: 0, size: 'quick' });
    expect(report.rows).toHaveLength(5);
    let wins = 0;
    for (const row of report.rows) {
      const consistent =
        row['SNS status'] === 'converged' &&
        Number(row['iteration ratio']) >= 10 &&
        Number(row['SNS ms']) <= Number(row['Sinkhorn ms']);
      // 'SNS ms' is rounded, so only a strict comparison of the rounded times is checked.
      if (Number(row['SNS ms']) !== Number(row['Sinkhorn ms'])) expect(row['claim holds']).toBe(consistent);
      if (row['claim holds']) wins++;
    }
    expect(report.verdict.measured).toContain(`faster on ${wins} of 5 cases`);
    expect(report.verdict.status).toBe(wins >= 3 ? 'reproduced' : 'not-reproduced');
    expect(report.series.length).toBe(10);
  }, 60_000);
});
