import type { Command } from 'commander';
import type { BackendChoice } from '../backends/backend-factories.js';
import { backendOption, positiveInteger, stepsPerRunOption, threadsOption } from './common-options.js';
import type { CommandContext } from './command-context.js';

/** `rank-collapse worker --queue URL`: runs trials from a Redis queue until stopped. */
export function registerWorkerCommand(program: Command, context: CommandContext): void {
  program
    .command('worker')
    .description('run trials from a Redis queue filled by `rank-collapse sweep --queue` (on any number of machines), until stopped')
    .requiredOption('--queue <redis-url>', 'the queue: redis://[user:password@]host:port[/db] or rediss://… (TLS)')
    .option('--concurrency <n>', 'trials run at once by this worker', positiveInteger('--concurrency'), 1)
    .addOption(backendOption().default(undefined, 'each trial\'s `backend`'))
    .addOption(threadsOption())
    .addOption(stepsPerRunOption())
    .option('--checkpoint-every <n>', 'save a training checkpoint every n epochs', positiveInteger('--checkpoint-every'), 5)
    .addHelpText('after', '\nCredentials in the URL never appear in logs.\n\nExample:\n  rank-collapse worker --queue redis://:secret@10.0.0.5:6379')
    .action(async (flags: { queue: string; concurrency: number; backend?: BackendChoice; threads?: number; stepsPerRun?: number; checkpointEvery: number }) => {
      const { io } = context;
      // Loaded here (BullMQ, training, analysis): `worker --help` needs none of them.
      const [{ createBackendCache }, { createTrialFunction }, { runQueueWorker }] = await Promise.all([
        import('../backends/select-backend.js'),
        import('../trial/create-trial-function.js'),
        import('@rank-collapse/sweep'),
      ]);
      const backends = createBackendCache({ threads: flags.threads });
      const trialFunction = createTrialFunction({ backendFor: (choice) => backends(flags.backend ?? choice), checkpointEvery: flags.checkpointEvery, stepsPerRun: flags.stepsPerRun });
      const worker = await runQueueWorker({ url: flags.queue, trialFunction, concurrency: flags.concurrency, log: (line) => io.stderr(`${line}\n`) });
      // A worker serves until it is stopped (SIGINT/SIGTERM); it then finishes or hands back its running trials.
      await new Promise<void>((resolve) => {
        if (!io.signal || io.signal.aborted) return resolve();
        io.signal.addEventListener('abort', () => resolve(), { once: true });
      });
      await worker.close();
    });
}
