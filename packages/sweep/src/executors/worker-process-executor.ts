/**
 * Runs trials in local worker processes (node:child_process fork), each building its own trial function and
 * backend from a module reference. The parent keeps the store: workers send every record back and wait for
 * its acknowledgement, so there is a single SQLite writer.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism, hostname } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { TrialSpec } from '../config/expand-grid.js';
import { errorMessage } from '../trial/run-trial.js';
import type { TrialCheckpoint, TrialRunResult } from '../trial/trial-types.js';
import type { Executor, TrialCoordinator } from './executor.js';
import { runPool } from './run-pool.js';
import type { FromWorker, ToWorker, TrialModuleReference } from './worker-protocol.js';

/** Options of {@link createWorkerProcessExecutor}. */
export interface WorkerProcessExecutorOptions {
  /** Where each worker process finds its trial function factory. */
  trialModule: TrialModuleReference;
  /** Worker processes (each runs one trial at a time). Default: the number of cores. */
  workers?: number;
  /**
   * Node flags for the workers. Default: none when this package runs compiled; when it runs from TypeScript
   * source, `--conditions=source --import tsx` so the workers can load `.ts` modules too.
   */
  execArgv?: string[];
  /** Extra environment for the workers (merged over this process's). */
  env?: NodeJS.ProcessEnv;
}

const ENTRY = new URL(`./worker-process-entry${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url);

/**
 * Creates the executor. A worker that dies during a trial (crash, out of memory, kill -9) is replaced and the
 * trial runs again once from its last checkpoint; a second loss marks it `failed`.
 * @throws RangeError when `workers` is not a positive integer. `run` rejects when a worker cannot build its
 *   trial function (the message says why).
 */
export function createWorkerProcessExecutor(options: WorkerProcessExecutorOptions): Executor {
  const count = options.workers ?? availableParallelism();
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`createWorkerProcessExecutor: workers must be a positive integer, got ${count}`);
  const execArgv = options.execArgv ?? (ENTRY.pathname.endsWith('.ts') ? ['--conditions=source', '--import', 'tsx'] : []);

  return {
    description: `${count} worker process${count === 1 ? '' : 'es'}`,
    async run(trials: readonly TrialSpec[], coordinator: TrialCoordinator, signal: AbortSignal) {
      const workers: Array<WorkerProcess | undefined> = [];
      const spawn = (slot: number): Promise<WorkerProcess> => WorkerProcess.start(options.trialModule, slot, execArgv, options.env);
      try {
        await runPool(trials, count, signal, async (trial, slot) => {
          for (let loss = 0; ; loss++) {
            const worker = (workers[slot] ??= await spawn(slot));
            const id = `${hostname()}:${worker.pid}`;
            const { attempt, resumeFrom } = coordinator.start(trial, id);
            const outcome = await worker.run(trial, attempt, resumeFrom, coordinator, signal);
            if (outcome.kind === 'result') {
              coordinator.finish(trial, outcome.result);
              return;
            }
            workers[slot] = undefined;
            const lost = `worker process ${id} died during the trial (${outcome.reason})`;
            if (loss >= 1 || signal.aborted) {
              coordinator.finish(trial, { status: signal.aborted ? 'aborted' : 'failed', error: `${lost}, for the second time`, durationMs: 0, epochMs: [] });
              return;
            }
            coordinator.log(`${lost}; running it again from its last checkpoint`);
          }
        });
      } finally {
        await Promise.all(workers.map((worker) => worker?.stop()));
      }
    },
  };
}

type RunOutcome = { kind: 'result'; result: TrialRunResult } | { kind: 'lost'; reason: string };

/** One forked worker and its message loop. */
class WorkerProcess {
  private onMessage?: (message: FromWorker) => void;
  private onExit?: (reason: string) => void;
  private exited = false;

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: FromWorker) => this.onMessage?.(message));
    child.on('exit', (code, signal) => {
      this.exited = true;
      this.onExit?.(signal ? `signal ${signal}` : `exit code ${code}`);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static start(reference: TrialModuleReference, slot: number, execArgv: string[], env?: NodeJS.ProcessEnv): Promise<WorkerProcess> {
    const child = fork(fileURLToPath(ENTRY), [JSON.stringify(reference), String(slot)], {
      execArgv,
      env: { ...process.env, ...env },
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const worker = new WorkerProcess(child);
    return new Promise((resolve, reject) => {
      worker.onMessage = (message) => {
        if (message.type === 'ready') resolve(worker);
        else if (message.type === 'init-error') reject(new Error(`a worker process could not build its trial function: ${message.message}`));
      };
      worker.onExit = (reason) => reject(new Error(`a worker process exited while starting (${reason})`));
      child.on('error', (error) => reject(new Error(`cannot start a worker process: ${errorMessage(error)}`)));
    });
  }

  run(trial: TrialSpec, attempt: number, resumeFrom: TrialCheckpoint | undefined, coordinator: TrialCoordinator, signal: AbortSignal): Promise<RunOutcome> {
    const sink = coordinator.sink(trial);
    return new Promise((resolve) => {
      if (this.exited) return resolve({ kind: 'lost', reason: 'it had exited' });
      const abort = (): void => this.post({ type: 'abort' });
      signal.addEventListener('abort', abort, { once: true });
      const done = (outcome: RunOutcome): void => {
        signal.removeEventListener('abort', abort);
        this.onMessage = undefined;
        this.onExit = undefined;
        resolve(outcome);
      };
      this.onExit = (reason) => done({ kind: 'lost', reason });
      this.onMessage = (message) => {
        switch (message.type) {
          case 'call':
            Promise.resolve()
              .then(() => (sink[message.method] as (...args: unknown[]) => unknown)(...message.args))
              .then(
                () => this.post({ type: 'ack', seq: message.seq }),
                (error) => this.post({ type: 'ack', seq: message.seq, error: errorMessage(error) }),
              );
            return;
          case 'progress':
            sink.progress(message.progress);
            return;
          case 'log':
            sink.log(message.message);
            return;
          case 'result':
            done({ kind: 'result', result: message.result });
            return;
        }
      };
      this.post({ type: 'run', trial, attempt, resumeFrom });
      if (signal.aborted) abort();
    });
  }

  private post(message: ToWorker): void {
    if (!this.exited && this.child.connected) this.child.send(message);
  }

  /** Asks the worker to exit and waits for it (killing it after 5 s). */
  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.post({ type: 'shutdown' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  }
}
