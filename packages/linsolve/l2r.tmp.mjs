import { runExperiment } from '@argmin/core';
import { learningToRelaxExperiment, skrSpeedupExperiment } from '@argmin/linsolve';

for (const e of [learningToRelaxExperiment, skrSpeedupExperiment]) {
  const t0 = performance.now();
  const r = await runExperiment(e, { seed: 0 });
  console.log(e.id, ((performance.now() - t0) / 1000).toFixed(1), 's');
  console.log(r.verdict.status, r.verdict.measured);
  for (const row of r.rows) console.log(JSON.stringify(row));
}
