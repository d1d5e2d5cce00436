// A queue worker process: `node queue-worker-main.js --queue redis://HOST:PORT --module REGISTRIES
// [--queue-name NAME] [--concurrency N] [--lock-ms MS] [--name NAME]`. `argmin worker` is the same
// thing behind the CLI; tests fork this file to kill a worker mid-task.
import { parseArgs } from 'node:util';
import { startQueueWorker } from './queue';
import { loadRegistriesFrom } from './registries';

const { values } = parseArgs({
  options: {
    queue: { type: 'string' },
    module: { type: 'string' },
    'queue-name': { type: 'string', default: 'argmin' },
    concurrency: { type: 'string', default: '1' },
    'lock-ms': { type: 'string', default: '30000' },
    name: { type: 'string' },
  },
});
if (!values.queue || !values.module) {
  process.stderr.write('usage: queue-worker-main --queue redis://HOST:PORT --module REGISTRIES_MODULE\n');
  process.exit(2);
}
const registries = await loadRegistriesFrom(values.module);
const worker = startQueueWorker(registries, {
  url: values.queue,
  queueName: values['queue-name'],
  concurrency: Number(values.concurrency),
  lockDurationMs: Number(values['lock-ms']),
  name: values.name,
});
await worker.ready;
process.send?.('ready');
const stop = async () => {
  await worker.close();
  process.exit(0);
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
