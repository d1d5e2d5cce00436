// A user module for `argmin --module`: two fake experiments whose verdicts are computed from what
// they measure (a slope on a line), one that holds and one that does not.
import { defineExperiment, verdictFrom } from '@argmin/core';

const line = (slope) => {
  const x = [1, 2, 4, 8, 16];
  return { x, y: x.map((v) => slope * v) };
};

const slopeExperiment = (id, trueSlope, threshold) =>
  defineExperiment({
    id,
    title: `Slope of a line with slope ${trueSlope}`,
    paper: { title: 'A fake paper about lines' },
    claim: `the measured slope is at least ${threshold}`,
    run(context) {
      const { x, y } = line(trueSlope);
      context.progress(0.5, 'fitting');
      const slope = (y[y.length - 1] - y[0]) / (x[x.length - 1] - x[0]);
      context.progress(1);
      return {
        rows: [{ case: 'line', slope }],
        series: [{ name: 'measured line', x, y }],
        plots: { main: { title: 'y against x', xLabel: 'x', yLabel: 'y', logX: true, logY: true } },
        verdict: verdictFrom({
          value: slope,
          holds: slope >= threshold,
          measured: `slope ${slope}`,
          threshold: `>= ${threshold}`,
        }),
      };
    },
  });

export const fakeExperiments = [
  slopeExperiment('fake/steep-line', 3, 2),
  slopeExperiment('fake/flat-line', 0.5, 2),
];
