/**
 * The conformance suite on tfjs-node (native TensorFlow). Runs where `@tensorflow/tfjs-node` loads; elsewhere
 * (e.g. machines where its install could not fetch libtensorflow) every case is registered as skipped and the
 * reason is printed.
 */
import { describeBackendConformance } from '@rank-collapse/backend/testing';
import { createTfjsBackend } from './create-tfjs-backend.js';
import { loadTfjs } from './load-tfjs.js';

const probe = await loadTfjs({ prefer: ['node'] }).then(
  (loaded) => ({ loaded, reason: '' }),
  (error: Error) => ({ loaded: undefined, reason: error.message }),
);
if (!probe.loaded) console.warn(`tfjs-node conformance skipped: ${probe.reason}`);

describeBackendConformance('tfjs-node', () => createTfjsBackend({ tf: probe.loaded!.tf }), { skip: () => !probe.loaded });
