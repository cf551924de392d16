import type { Executor } from '@rank-collapse/sweep';
import { CliError } from '../cli-error.js';

/** The queue executor and worker of the sweep package, looked up at run time (they need Redis). */
interface QueueModule {
  createQueueExecutor?: (options: { url: string }) => Executor;
}

/**
 * The distributed executor: trials go to a Redis (BullMQ) queue, `rank-collapse worker` processes anywhere
 * run them, results land in this process's store.
 * @throws CliError when this build of the sweep package has no queue executor.
 */
export async function createQueueExecutor(url: string): Promise<Executor> {
  const module = (await import('@rank-collapse/sweep')) as QueueModule;
  if (typeof module.createQueueExecutor !== 'function') throw new CliError('this build of @rank-collapse/sweep has no queue executor');
  return module.createQueueExecutor({ url });
}
