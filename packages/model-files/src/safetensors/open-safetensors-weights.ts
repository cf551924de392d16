// PLACEHOLDER until the safetensors reader lands: it refuses every file.
import { ModelFileError } from '@rank-collapse/backend';
import type { ReadWeightsOptions, WeightFile } from '../weight-matrix.js';

export async function openSafetensorsWeights(file: string, _options: ReadWeightsOptions): Promise<WeightFile> {
  throw new ModelFileError(file, 'reading safetensors weights is not implemented yet');
}
