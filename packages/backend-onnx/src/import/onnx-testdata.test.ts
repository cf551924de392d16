/**
 * ONNX's own test data (Debian package libonnx-testdata): node-level models and PyTorch-converted layers
 * with input and expected-output .pb files, imported and run on onnxruntime and the float64 reference.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose, runOnce } from '@rank-collapse/backend/testing';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../create-onnx-backend.js';
import { decodeTensor } from '@rank-collapse/model-files/onnx';
import { readTensorProto } from '@rank-collapse/model-files/onnx';

const ROOT = '/usr/share/libonnx-testdata/data';
const CASES = [
  // PyTorch-converted layers (opset 6 exports).
  'pytorch-converted/test_Linear',
  'pytorch-converted/test_Conv2d_strided',
  'pytorch-converted/test_Conv2d_groups',
  'pytorch-converted/test_BatchNorm2d_eval',
  'pytorch-converted/test_MaxPool2d',
  'pytorch-converted/test_AvgPool2d_stride',
  'pytorch-converted/test_ZeroPad2d',
  'pytorch-converted/test_LogSoftmax',
  'pytorch-operator/test_operator_flatten',
  'pytorch-operator/test_operator_view',
  'pytorch-operator/test_operator_params',
  // Node-level tests of the supported ops at various opsets.
  'node/test_gemm_all_attributes',
  'node/test_matmul_3d',
  'node/test_conv_with_autopad_same',
  'node/test_maxpool_2d_same_upper',
  'node/test_averagepool_2d_pads_count_include_pad',
  'node/test_batchnorm_epsilon',
  'node/test_hardsigmoid',
  'node/test_leakyrelu',
  'node/test_clip_default_inbounds',
  'node/test_softmax_axis_0',
  'node/test_logsoftmax_large_number',
  'node/test_softmax_axis_1_expanded',
  'node/test_transpose_all_permutations_3',
  'node/test_unsqueeze_axis_3',
  'node/test_convtranspose_pads',
  'node/test_concat_3d_axis_negative_1',
  'node/test_gemm_transposeA',
  'node/test_reduce_mean_keepdims_example',
  'node/test_reduce_max_negative_axes_keepdims_random',
  'node/test_dropout_default',
  'node/test_flatten_negative_axis1',
  'node/test_maxpool_2d_precomputed_strides',
  'node/test_shape_start_negative_1',
  // Expanded into IR ops: Elu and PRelu (Where), Split (Slices). The Softplus models are opset 1 and the
  // variable-part Split models feed the sizes at run time; import-expanded-ops.test.ts covers both.
  'node/test_elu',
  'node/test_elu_default',
  'node/test_prelu_broadcast',
  'node/test_prelu_example',
  'node/test_split_equal_parts_1d',
  'node/test_split_equal_parts_2d',
  'node/test_split_equal_parts_default_axis',
  'node/test_maxpool_2d_ceil',
];
const present = existsSync(ROOT);
if (!present) console.warn(`skipping libonnx-testdata tests: ${ROOT} is absent (apt-get install libonnx-testdata)`);

const backend = createOnnxBackend({ ort });
const reference = createReferenceBackend();
const tolerance = { atol: 1e-5, rtol: 1e-4 };

function readPb(path: string): HostTensor {
  return readTensorProto(decodeTensor(readFileSync(path)), { modelDir: ROOT }, path);
}

describe.skipIf(!present)('libonnx-testdata models', () => {
  for (const name of CASES) {
    it(`${name}: onnx and reference match the expected outputs`, async () => {
      const dir = join(ROOT, name);
      const model = await backend.importer!.importModel(join(dir, 'model.onnx'));
      const data = join(dir, readdirSync(dir).find((f) => f.startsWith('test_data_set'))!);
      const feeds: Record<string, HostTensor> = Object.fromEntries(model.params);
      model.graph.inputs.forEach((input, i) => (feeds[input.name] = readPb(join(data, `input_${i}.pb`))));
      const onnx = await runOnce(backend, model.graph, feeds);
      const oracle = await runOnce(reference, model.graph, feeds);
      expect(model.graph.outputs.length).toBeGreaterThan(0);
      model.graph.outputs.forEach((output, i) => {
        const expected = readPb(join(data, `output_${i}.pb`));
        expectClose(onnx[output], expected, tolerance, `${name} ${output} on onnx`);
        expectClose(oracle[output], expected, tolerance, `${name} ${output} on the reference`);
      });
    });
  }
});
