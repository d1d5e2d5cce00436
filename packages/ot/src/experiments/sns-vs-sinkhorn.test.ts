import { runExperiment } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { snsVsSinkhornExperiment } from './sns-vs-sinkhorn';

describe('ot/sns-vs-sinkhorn (quick size)', () => {
  it('computes its verdict from its own rows: ratios only for converged pairs, majority of the sparse-regime rows', async () => {
    const report = await runExperiment(snsVsSinkhornExperiment, { seed: 0, size: 'quick' });
    expect(report.rows).toHaveLength(5);
    expect(String(report.rows[0].case)).toContain("paper's setting");
    let inRegime = 0;
    let wins = 0;
    let winsOutside = 0;
    for (const row of report.rows) {
      const bothConverged = row['SNS status'] === 'converged' && row['Sinkhorn status'] === 'converged';
      // No ratio for a run that did not converge.
      if (!bothConverged) expect(row['iteration ratio']).toBe('—');
      else {
        const [warm, newton] = String(row['SNS iterations']).split(' + ').map(Number);
        expect(row['iteration ratio']).toBeCloseTo(Number(row['Sinkhorn sweeps']) / (warm + newton), 1);
      }
      // The regime column is the measured comparison it claims to be.
      const needed = Number(row['entries for 99% of the mass / n']);
      if (Math.abs(needed - 5) > 0.1) expect(row["in the paper's sparse regime"]).toBe(needed <= 5);
      if (bothConverged && Number(row['SNS ms']) !== Number(row['Sinkhorn ms']))
        expect(row['claim holds']).toBe(
          Number(row['iteration ratio']) >= 10 && Number(row['SNS ms']) < Number(row['Sinkhorn ms']),
        );
      if (row['SNS status'] !== 'converged') expect(row['claim holds']).toBe(false);
      if (row["in the paper's sparse regime"]) {
        inRegime++;
        if (row['claim holds']) wins++;
      } else if (row['claim holds']) winsOutside++;
      expect(Number(row.repeats)).toBeGreaterThanOrEqual(1);
    }
    if (inRegime === 0) expect(report.verdict.status).toBe('inconclusive');
    else {
      expect(report.verdict.measured).toContain(
        `faster on ${wins} of ${inRegime} problems in the sparse regime`,
      );
      expect(report.verdict.measured).toContain(`on ${winsOutside} of ${5 - inRegime}`);
      expect(report.verdict.status).toBe(
        wins >= Math.floor(inRegime / 2) + 1 ? 'reproduced' : 'not-reproduced',
      );
    }
    expect(report.series.length).toBe(10);
  }, 20_000);
});
