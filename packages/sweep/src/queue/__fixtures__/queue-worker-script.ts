/**
 * A queue worker as its own process, for the lost-worker test:
 *   node --conditions=source --import tsx queue-worker-script.ts <url> <queueName> <journal> <epochMs>
 * Prints `ready` once connected.
 */
import { runQueueWorker } from '../run-queue-worker.js';
import { createSyntheticTrial } from '../../__fixtures__/synthetic-trial.js';

const [url, queueName, journal, epochMs] = process.argv.slice(2);
await runQueueWorker({
  url,
  queueName,
  trialFunction: createSyntheticTrial({ options: { journal, epochMs: Number(epochMs) } }),
  lockDurationMs: 1000,
  stalledIntervalMs: 500,
});
process.stdout.write('ready\n');
