import { buildCnn } from './build-cnn.js';
import { buildMlp } from './build-mlp.js';
import { buildResnet } from './build-resnet.js';
import type { Model } from './model.js';
import { parseModelConfig, type ModelConfigInput } from './model-config.js';

/**
 * Builds any architecture from a config (validated first; `kind` selects mlp, cnn or resnet).
 * @throws ModelConfigError naming each invalid field.
 */
export function buildModel(configInput: ModelConfigInput | unknown): Model {
  const config = parseModelConfig(configInput);
  switch (config.kind) {
    case 'mlp':
      return buildMlp(config);
    case 'cnn':
      return buildCnn(config);
    case 'resnet':
      return buildResnet(config);
  }
}
