/** @rank-collapse/models: architectures as IR builders with seeded initialization and analyzable-layer taps. */
export type { LayerTap } from './layer-tap.js';
export { findLayers } from './find-layers.js';
export { MODEL_INPUT, MODEL_OUTPUT, type Model } from './model.js';
export {
  activationSchema,
  cnnConfigSchema,
  initSchemeSchema,
  mlpConfigSchema,
  modelConfigSchema,
  parseModelConfig,
  resnetConfigSchema,
  type Activation,
  type CnnConfig,
  type CnnConfigInput,
  type InitScheme,
  type MlpConfig,
  type MlpConfigInput,
  type ModelConfig,
  type ModelConfigInput,
  type ResnetConfig,
  type ResnetConfigInput,
} from './model-config.js';
export { ModelConfigError } from './model-config-error.js';
export { activationGainSquared, biasFill, defaultInitScheme, initializeParams, weightFill, weightStd, type ParamFill, type ParamSpec } from './initialization.js';
export { BATCH_NORM_EPSILON, BATCH_NORM_MOMENTUM } from './layer-builder.js';
export { buildMlp } from './build-mlp.js';
export { buildCnn } from './build-cnn.js';
export { buildResnet } from './build-resnet.js';
export { buildModel } from './build-model.js';
