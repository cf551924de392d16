/**
 * @rank-collapse/backend-onnx: an ONNX Runtime backend. Compiles the IR to ONNX and runs it with
 * onnxruntime-node (injected); imports and exports `.onnx` models.
 */
export { createOnnxBackend } from './create-onnx-backend.js';
export { DEFAULT_MAX_MODEL_BYTES, type OnnxBackendOptions } from './onnx-backend-options.js';
export { loadOrt } from './load-ort.js';
export type { OrtNamespace, OrtExecutionProvider, OrtSessionOptions } from './ort-namespace.js';
export { compileToOnnx, ONNX_IR_VERSION, ONNX_OPSET, type CompiledOnnx, type CompileToOnnxOptions } from './compile/compile-to-onnx.js';
export { exportOnnxBytes } from './export/onnx-exporter.js';
export { IMPORT_OPSETS, IMPORTABLE_OPS } from './import/onnx-to-ir.js';
export { importOnnxBytes } from './import/import-onnx-file.js';
export { createModelRunner, type ModelRunner, type ModelRunnerOptions, type RunnerInput, type RunnerTensor } from './model-runner/create-model-runner.js';
export { findWeightNodes, decodeOnnxWeightNodes, constantValues, nodeLabel, type WeightNode, type ActivationLayout } from './model-runner/weight-nodes.js';
export { findLogits, type LogitsLocation } from './model-runner/find-logits.js';
export { factorizeOnnx, countParameters, type LayerFactors, type FactorizeResult } from './surgery/factorize-onnx.js';
