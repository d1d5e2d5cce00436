export type { CliIo } from './cli';
export { createProgram } from './cli';
export type { DiscoveredPackage, Discovery } from './discover';
export { discover } from './discover';
export { reportHtml } from './report-html';
export type { ReproOptions, ReproRecord } from './repro';
export { repro, selectExperiments } from './repro';
