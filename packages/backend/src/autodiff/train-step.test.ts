import { describeTrainStepConformance } from '../testing/conformance/train-step.js';
import { createReferenceBackend } from '../testing/reference/reference-backend.js';

describeTrainStepConformance('reference', () => createReferenceBackend());
