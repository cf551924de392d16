/** The slice of the `onnxruntime-node` namespace this package uses (injected, never imported for effect). */
import type * as OrtModule from 'onnxruntime-node';

/** `import * as ort from 'onnxruntime-node'` (or its default export): what `createOnnxBackend` receives. */
export type OrtNamespace = Pick<typeof OrtModule, 'InferenceSession' | 'Tensor' | 'env'>;
export type OrtTensor = OrtModule.Tensor;
export type OrtSession = OrtModule.InferenceSession;
export type OrtSessionOptions = OrtModule.InferenceSession.SessionOptions;
export type OrtExecutionProvider = OrtModule.InferenceSession.ExecutionProviderConfig;
