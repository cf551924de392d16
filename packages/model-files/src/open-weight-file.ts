/** openWeightFile(): the one entry point that reads the weights of any supported model file. */
import { detectWeightFormat } from './detect-format.js';
import { readOnnxWeights } from './onnx/read-onnx-weights.js';
import { openPytorchWeights } from './pytorch/open-pytorch-weights.js';
import { openSafetensorsWeights } from './safetensors/open-safetensors-weights.js';
import { openTfjsGraphWeights, openTfjsLayersWeights } from './tfjs/open-tfjs-weights.js';
import type { ReadWeightsOptions, WeightFile, WeightFormat } from './weight-matrix.js';

const READERS: Record<WeightFormat, (file: string, options: ReadWeightsOptions) => Promise<WeightFile>> = {
  onnx: readOnnxWeights,
  'tfjs-layers': openTfjsLayersWeights,
  'tfjs-graph': openTfjsGraphWeights,
  safetensors: openSafetensorsWeights,
  pytorch: openPytorchWeights,
};

/**
 * Opens a model file for its weights, whatever its format (told by {@link detectWeightFormat}).
 * Nothing in the file is executed and no forward graph is built.
 * @throws ModelFileError naming the file (and the tensor, shard or op) for anything unreadable.
 */
export async function openWeightFile(file: string, options: ReadWeightsOptions = {}): Promise<WeightFile> {
  return READERS[detectWeightFormat(file)](file, options);
}
