// PLACEHOLDER until the PyTorch reader lands: it refuses every file.
import { ModelFileError } from '@rank-collapse/backend';
import type { ReadWeightsOptions, WeightFile } from '../weight-matrix.js';

export async function openPytorchWeights(file: string, _options: ReadWeightsOptions): Promise<WeightFile> {
  throw new ModelFileError(file, 'reading PyTorch weights is not implemented yet');
}
