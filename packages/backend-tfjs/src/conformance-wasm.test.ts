/** The shared conformance suite of @rank-collapse/backend on the wasm (SIMD) backend of TensorFlow.js. */
import { describeBackendConformance } from '@rank-collapse/backend/testing';
import { createTfjsBackend } from './create-tfjs-backend.js';
import { loadTfjs } from './load-tfjs.js';

describeBackendConformance('tfjs-wasm', async () => createTfjsBackend({ tf: (await loadTfjs({ prefer: ['wasm'] })).tf }));
