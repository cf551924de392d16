/** @rank-collapse/backend-onnx: ONNX Runtime backend: compiles the IR to ONNX and runs it with onnxruntime-node; imports and exports .onnx models. */
export {};
