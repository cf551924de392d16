/**
 * A sweep run as its own process, for the kill -9 / resume tests:
 *   node --conditions=source --import tsx sweep-script.ts <store> <journal> <in-process|workers> [epochMs]
 */
import { fileURLToPath } from 'node:url';
import { runSweep } from '../run-sweep.js';
import { openSweepStore } from '../store/sweep-store.js';
import { createInProcessExecutor } from '../executors/in-process-executor.js';
import { createWorkerProcessExecutor } from '../executors/worker-process-executor.js';
import { createSyntheticTrial } from './synthetic-trial.js';
import { smallSweep } from './small-sweep.js';

const [storePath, journal, kind = 'in-process', epochMs = '40'] = process.argv.slice(2);
const options = { journal, epochMs: Number(epochMs) };
const sweep = smallSweep({ epochs: 6 });
const store = openSweepStore(storePath);
const executor =
  kind === 'workers'
    ? createWorkerProcessExecutor({
        trialModule: { modulePath: fileURLToPath(new URL('./synthetic-trial.ts', import.meta.url)), exportName: 'createSyntheticTrial', options },
        workers: 2,
      })
    : createInProcessExecutor({ trialFunction: createSyntheticTrial({ options }) });
const summary = await runSweep({ sweep, trials: sweep.trials, store, executor });
store.close();
process.stdout.write(`${JSON.stringify(summary)}\n`);
