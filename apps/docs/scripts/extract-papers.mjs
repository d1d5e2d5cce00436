// Regenerates data/papers.json from the project's paper list (../shared/papers/abstracts.md).
// Usage (from apps/docs): node scripts/extract-papers.mjs [path/to/abstracts.md]
// The area of each paper is the package its methods live in (ARCHITECTURE.md's package map).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const source = process.argv[2] ?? resolve(here, '../../../../shared/papers/abstracts.md');
const areaByKeyword = [
  ['AutoDiffusion', 'diffusion'],
  ['Exact Augmented Lagrangian', 'constrained'],
  ['Multi-Block Bilevel', 'bilevel'],
  ['Matrix Completion', 'learn'],
  ['Learning to Relax', 'linsolve'],
  ['Penalty Methods for Nonconvex Bilevel', 'bilevel'],
  ['ADAHESSIAN', 'stochastic'],
  ['Block Coordinate Descent', 'linsolve'],
  ['Logistic Regression to the Perceptron', 'stochastic'],
  ['Stochastic Policy Gradient', 'stochastic'],
  ['Learning Rate Scheduling by Refinement', 'stochastic'],
  ['M-FAC', 'stochastic'],
  ['Sinkhorn', 'ot'],
  ['Gradient Boosting', 'learn'],
  ['Solver Searching of Diffusion', 'diffusion'],
  ['Deep Conjugate Direction', 'linsolve'],
  ['Few-Shot Meta Learning', 'learn'],
  ['Last-Iterate Convergence', 'stochastic'],
  ['Derivative-Free Guidance', 'diffusion'],
  ['Label Proportions', 'learn'],
  ['NOTEARS', 'bilevel'],
  ['LCM-LORA', 'diffusion'],
  ['Convergent Graph Solvers', 'linsolve'],
  ['ProSper', 'learn'],
  ['Proximal Lagrangian Value function', 'bilevel'],
  ['Pseudo Numerical Methods', 'diffusion'],
  ['Self-Repellent Random Walks', 'stochastic'],
  ['Trace is the New AutoDiff', 'trace'],
  ['Exposure Bias', 'diffusion'],
  ['Self-Distillation', 'learn'],
  ['DPM-Solver++', 'diffusion'],
  ['Halpern Iteration', 'stochastic'],
  ['Unbounded Smoothness', 'bilevel'],
  ['Two-layer ReLU Networks', 'learn'],
  ['Sequential Gradient Coding', 'stochastic'],
  ['Network Feature Complexity', 'learn'],
  ['Continual Learning', 'learn'],
  ['Orthogonal Dictionary Learning', 'learn'],
  ['Krylov Subspace Recycling', 'linsolve'],
  ['Model Pruning via Bi-level', 'bilevel'],
  ['Neur2RO', 'bilevel'],
  ['Step-aware Preference Optimization', 'diffusion'],
  ['Progressive Image Editing', 'diffusion'],
];

// The published title where the project list spells a paper differently (matched by the Papers page).
const aliasesByKeyword = [['LCM-LORA', ['LCM-LoRA: A Universal Stable-Diffusion Acceleration Module']]];

const titles = readFileSync(source, 'utf8')
  .split('\n')
  .filter((line) => line.startsWith('## '))
  .map((line) => line.slice(3).trim());
const papers = titles.map((title) => {
  const match = areaByKeyword.find(([keyword]) => title.toLowerCase().includes(keyword.toLowerCase()));
  if (!match) throw new Error(`extract-papers: no area for "${title}"; add a keyword to areaByKeyword.`);
  const aliases = aliasesByKeyword.find(([keyword]) =>
    title.toLowerCase().includes(keyword.toLowerCase()),
  )?.[1];
  return aliases ? { title, aliases, area: match[1] } : { title, area: match[1] };
});
writeFileSync(resolve(here, '../data/papers.json'), `${JSON.stringify(papers, null, 2)}\n`);
// then `pnpm biome format --write apps/docs/data/papers.json` (biome keeps short arrays on one line)
console.log(`wrote ${papers.length} papers`);
