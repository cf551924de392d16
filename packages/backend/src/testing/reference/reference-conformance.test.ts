import { describeBackendConformance } from '../conformance/describe-backend-conformance.js';
import { createReferenceBackend } from './reference-backend.js';

// The reference against itself: forward cases pass trivially; shape errors, the contract, gradients
// (vs finite differences) and the train step are meaningful.
describeBackendConformance('reference', createReferenceBackend);
