import { runExperiment } from '@argmin/core';
import { nnExperiments } from '@argmin/nn';
const r = await runExperiment(nnExperiments[0], { seed: 0, size: 'quick' });
console.log(r.verdict.status, r.verdict.measured);
