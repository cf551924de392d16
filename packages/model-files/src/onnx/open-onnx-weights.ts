// PLACEHOLDER until the ONNX reader lands: it refuses every file.
import { ModelFileError } from '@rank-collapse/backend';
import type { ReadWeightsOptions, WeightFile } from '../weight-matrix.js';

export async function openOnnxWeights(file: string, _options: ReadWeightsOptions): Promise<WeightFile> {
  throw new ModelFileError(file, 'reading ONNX weights is not implemented yet');
}
