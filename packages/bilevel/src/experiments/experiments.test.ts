import { createRng } from '@argmin/core';
import { describe, expect, it } from 'vitest';
import { boRepStudy } from './bo-rep';
import { bsvrbStudy } from './bsvrb-speedup';
import { bilevelExperiments } from './index';
import { lvHbaStudy } from './lv-hba';
import { penaltyStudy } from './penalty';

const context = { seed: 0, rng: createRng(0), progress: () => {} };
const verdictHolds = (status: string) => status === 'reproduced';

describe('bilevel experiments compute their verdicts from their own rows (reduced sizes)', () => {
  it('are registered with ids, papers with arXiv ids and claims', () => {
    expect(bilevelExperiments.map((e) => e.id)).toEqual([
      'bilevel/penalty',
      'bilevel/bo-rep',
      'bilevel/lv-hba',
      'bilevel/bsvrb-speedup',
    ]);
    for (const e of bilevelExperiments) expect(e.paper.arxiv).toMatch(/^\d{4}\.\d{5}$/);
  });
  it('bilevel/penalty: every σ within 3 sd and gap/σ within 2x ⇔ reproduced', () => {
    const report = penaltyStudy(context, { iterations: 600, seeds: 4 });
    expect(report.rows).toHaveLength(3);
    const within = report.rows.every((r) => r['within 3 sd'] === true);
    for (const r of report.rows)
      expect(r['within 3 sd']).toBe(
        Math.abs((r['mean x (2nd half)'] as number) - (r['x*_σ'] as number)) <
          3 * (r['sd over seeds'] as number) + 1e-3 + 1e-5,
      );
    const ratios = report.rows.map((r) => r['gap / σ'] as number);
    const spread = Math.max(...ratios) / Math.min(...ratios);
    expect(verdictHolds(report.verdict.status)).toBe(within && spread <= 2 + 1e-2);
  });
  it('bilevel/bo-rep: stability and speed recomputed from the rows', () => {
    const report = boRepStudy(context, { iterations: 150, seeds: 1 });
    expect(report.rows).toHaveLength(24);
    const divergedIn = (method: string) =>
      report.rows.filter((r) => r.method === method && (r['diverged seeds'] as number) > 0).length;
    const best = (method: string, start: number) =>
      Math.min(
        ...report.rows
          .filter((r) => r.method === method && r['‖x₀‖'] === start)
          .map((r) =>
            typeof r['iterations to ‖∇Φ‖ < 1'] === 'number'
              ? (r['iterations to ‖∇Φ‖ < 1'] as number)
              : Infinity,
          ),
      );
    const wins = [10, 30, 100].filter((s) => best('BO-REP', s) < best('SGD', s)).length;
    const holds = divergedIn('BO-REP') === 0 && divergedIn('SGD') > 0 && wins > 1.5;
    expect(verdictHolds(report.verdict.status)).toBe(holds);
  });
  it('bilevel/lv-hba: error, constraint and ablation recomputed from the rows', () => {
    const report = lvHbaStudy(context, { iterations: 3000 });
    const [main, , ablation] = report.rows;
    const holds =
      (main['relative error ‖x − x*‖/‖x*‖'] as number) < 0.1 &&
      (main['G(x, θ)'] as number) <= 1e-3 &&
      (ablation['relative error ‖x − x*‖/‖x*‖'] as number) > 0.5;
    expect(verdictHolds(report.verdict.status)).toBe(holds);
  });
  it('bilevel/bsvrb-speedup: the iteration counts per I decide the verdict', () => {
    const report = bsvrbStudy(context, { iterations: 60, tasks: 5, samples: 40 });
    expect(report.rows).toHaveLength(9);
    const hits = (variant: string) =>
      report.rows
        .filter((r) => r.variant === variant)
        .map((r) =>
          typeof r['iterations to target'] === 'number' ? (r['iterations to target'] as number) : Infinity,
        );
    const decreasing = (h: number[]) => h[0] > h[1] && h[1] > h[2] && Number.isFinite(h[2]);
    expect(verdictHolds(report.verdict.status)).toBe(decreasing(hits('v1')) && decreasing(hits('v2')));
  });
});
