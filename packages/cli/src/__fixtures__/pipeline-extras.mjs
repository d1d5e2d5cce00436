// Test fixture for the CLI: a metric that reports infinities, a problem whose construction throws a
// plain TypeError (an unexpected error, not an ArgminError), and 3000 experiments with long claims so
// that `argmin list` writes far more than a pipe buffer (for the EPIPE test).
import { defineExperiment, defineMetric, defineProblem, verdictFrom } from '@argmin/core';
import { z } from 'zod';

export const extraMetrics = [
  defineMetric({
    meta: { id: 'extra/infinite', title: 'Reports infinities', takes: ['iterate'] },
    options: z.strictObject({}),
    compute: () => ({ big: Number.POSITIVE_INFINITY, small: Number.NEGATIVE_INFINITY, finite: 1.5 }),
  }),
];

export const extraProblems = [
  defineProblem({
    meta: { id: 'extra/throws', title: 'Throws a TypeError when built', provides: ['value', 'grad'] },
    options: z.strictObject({}),
    create: () => {
      throw new TypeError('kaboom from a buggy problem');
    },
  }),
];

export const manyExperiments = Array.from({ length: 3000 }, (_, i) =>
  defineExperiment({
    id: `many/claim-${i}`,
    title: `Claim number ${i}`,
    paper: { title: 'A paper with a rather long title so that every listed line is long' },
    claim: `the quantity number ${i} is at least ${i}; this sentence is long to fill the pipe buffer quickly`,
    run: () => ({
      rows: [],
      series: [],
      verdict: verdictFrom({ value: i, holds: true, measured: `${i}`, threshold: `${i}` }),
    }),
  }),
);
