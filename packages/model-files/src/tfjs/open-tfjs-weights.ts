// PLACEHOLDER until the TF.js reader lands: it refuses every file.
import { ModelFileError } from '@rank-collapse/backend';
import type { ReadWeightsOptions, WeightFile } from '../weight-matrix.js';

export async function openTfjsLayersWeights(file: string, _options: ReadWeightsOptions): Promise<WeightFile> {
  throw new ModelFileError(file, 'reading TF.js Layers weights is not implemented yet');
}

export async function openTfjsGraphWeights(file: string, _options: ReadWeightsOptions): Promise<WeightFile> {
  throw new ModelFileError(file, 'reading TF.js Graph model weights is not implemented yet');
}
