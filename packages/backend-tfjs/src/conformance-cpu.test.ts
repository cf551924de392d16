/** The shared conformance suite of @rank-collapse/backend on the pure-JS cpu backend of TensorFlow.js. */
import { describeBackendConformance } from '@rank-collapse/backend/testing';
import { createTfjsBackend } from './create-tfjs-backend.js';
import { loadTfjs } from './load-tfjs.js';

describeBackendConformance('tfjs-cpu', async () => createTfjsBackend({ tf: (await loadTfjs({ prefer: ['cpu'] })).tf }));
