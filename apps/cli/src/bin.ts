#!/usr/bin/env -S MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 node
/** The `rank-collapse` executable: runs the command line, stops cleanly on SIGINT/SIGTERM, exits with its code. */
import { processIo } from './cli-io.js';
import { EXIT_CODES } from './exit-codes.js';
import { runCli } from './run-cli.js';

const controller = new AbortController();
let signals = 0;
const stop = (signal: NodeJS.Signals): void => {
  signals += 1;
  // A second signal means "now": leave without waiting for the running step.
  if (signals > 1) process.exit(130);
  process.stderr.write(`\nrank-collapse: ${signal} received, stopping after the running group of steps (again to quit at once)\n`);
  controller.abort(new Error(`stopped by ${signal}`));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
// A reader that went away (`rank-collapse analyze … | head -1`) has all it wanted: leave quietly with 0.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(EXIT_CODES.ok);
    throw error;
  });
}

const code = await runCli(process.argv.slice(2), processIo(controller.signal));
process.exitCode = code;
// Native runtimes (onnxruntime threads, Redis sockets) can keep the event loop alive after the work is done.
setTimeout(() => process.exit(code), 200).unref();
