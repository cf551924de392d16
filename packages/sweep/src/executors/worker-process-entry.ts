/**
 * Entry of a local worker process (forked by the worker-process executor). Builds the trial function from the
 * module reference in argv[2], then runs the trials the parent sends, forwarding every record to the parent,
 * which owns the store.
 */
import { pathToFileURL } from 'node:url';
import { runTrial, errorMessage, type TrialSink } from '../trial/run-trial.js';
import type { TrialFunction } from '../trial/trial-types.js';
import type { FromWorker, SinkCall, ToWorker, TrialFunctionFactory, TrialModuleReference } from './worker-protocol.js';

const send = (message: FromWorker): void => {
  process.send?.(message);
};

async function main(): Promise<void> {
  const reference = JSON.parse(process.argv[2]) as TrialModuleReference;
  const workerIndex = Number(process.argv[3] ?? 0);
  let trialFunction: TrialFunction;
  try {
    const url = reference.modulePath.startsWith('file:') ? reference.modulePath : pathToFileURL(reference.modulePath).href;
    const module = (await import(url)) as Record<string, unknown>;
    const factory = module[reference.exportName];
    if (typeof factory !== 'function') {
      throw new Error(`${reference.modulePath} has no function export "${reference.exportName}" (exports: ${Object.keys(module).join(', ') || 'none'})`);
    }
    trialFunction = await (factory as TrialFunctionFactory)({ workerIndex, options: reference.options });
    if (typeof trialFunction !== 'function') throw new Error(`${reference.exportName}() did not return a trial function`);
  } catch (error) {
    send({ type: 'init-error', message: errorMessage(error) });
    process.disconnect?.();
    return;
  }

  let seq = 0;
  const pending = new Map<number, { resolve: () => void; reject: (error: Error) => void }>();
  let controller = new AbortController();
  const call = (message: SinkCall): Promise<void> =>
    new Promise((resolve, reject) => {
      const id = ++seq;
      pending.set(id, { resolve, reject });
      send({ type: 'call', seq: id, ...message } as FromWorker);
    });
  const sink: TrialSink = {
    recordEpoch: (...args) => call({ method: 'recordEpoch', args }),
    recordLayers: (...args) => call({ method: 'recordLayers', args }),
    recordSpectrum: (...args) => call({ method: 'recordSpectrum', args: [args[0], args[1], Float64Array.from(args[2] as ArrayLike<number>)] }),
    recordCompression: (...args) => call({ method: 'recordCompression', args }),
    saveCheckpoint: (...args) => call({ method: 'saveCheckpoint', args }),
    progress: (progress) => send({ type: 'progress', progress }),
    log: (message) => send({ type: 'log', message }),
  };

  // The coordinator is gone (killed, or done with us): nothing we compute could be recorded.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ToWorker) => {
    switch (message.type) {
      case 'ack': {
        const waiter = pending.get(message.seq);
        pending.delete(message.seq);
        if (message.error === undefined) waiter?.resolve();
        else waiter?.reject(new Error(message.error));
        return;
      }
      case 'abort':
        controller.abort(new Error('sweep stopped'));
        return;
      case 'shutdown':
        process.disconnect?.();
        return;
      case 'run':
        controller = new AbortController();
        void runTrial(trialFunction, { trial: message.trial, attempt: message.attempt, resumeFrom: message.resumeFrom, sink, signal: controller.signal }).then(
          (result) => send({ type: 'result', result }),
        );
        return;
    }
  });
  send({ type: 'ready' });
}

void main();
