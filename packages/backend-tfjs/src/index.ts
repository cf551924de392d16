/** @rank-collapse/backend-tfjs: TensorFlow.js backend: runs the IR with an injected tf namespace (tfjs-node, wasm or cpu); imports TF.js Layers models. */
export {};
