// Runs one registered experiment off the main thread and streams progress back.
import { runExperiment } from '@argmin/core';
import { experiments } from '../../generated/experiments-registry';

interface RunMessage {
  readonly id: string;
  readonly seed: number;
}

const scope = self as unknown as {
  onmessage: ((event: { data: RunMessage }) => void) | null;
  postMessage(message: unknown): void;
};

scope.onmessage = async (event) => {
  const { id, seed } = event.data;
  const experiment = experiments.find((e) => e.id === id);
  if (!experiment) {
    scope.postMessage({
      type: 'error',
      message: `Unknown experiment id "${id}". Registered: ${experiments.map((e) => e.id).join(', ')}`,
    });
    return;
  }
  const started = performance.now();
  try {
    const report = await runExperiment(experiment, {
      seed,
      size: 'quick',
      onProgress: (fraction, message) => scope.postMessage({ type: 'progress', fraction, message }),
    });
    scope.postMessage({
      type: 'report',
      report: JSON.parse(JSON.stringify(report)),
      elapsedMs: performance.now() - started,
    });
  } catch (error) {
    scope.postMessage({
      type: 'error',
      message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
  }
};
