/**
 * The injected TensorFlow.js namespace. Only the type is imported here: the runtime object comes from the
 * caller (`@tensorflow/tfjs`, `@tensorflow/tfjs-node`, or `@tensorflow/tfjs-core` with a backend registered).
 */
import type * as TfCore from '@tensorflow/tfjs-core';

/** The `tf` namespace: anything shaped like `@tensorflow/tfjs-core`'s exports. */
export type Tf = typeof TfCore;

/** A TensorFlow.js tensor of the injected namespace. */
export type TfTensor = TfCore.Tensor;
