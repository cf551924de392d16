import { assembleModel } from './assemble-model.js';
import type { Model } from './model.js';
import { parseModelConfig, type MlpConfig, type MlpConfigInput } from './model-config.js';

/**
 * Fully connected classifier: x (flattened to [N, D]) → dense1 … dense{L} → logits, activation after every
 * layer but the last. Names: `dense{l}.weight` [out, in], `dense{l}.bias`, `dense{l}.z` (pre-activation),
 * `dense{l}.h` (activation), `flatten` (when the sample shape has more than one dim).
 * @throws ModelConfigError when the config does not validate.
 */
export function buildMlp(configInput: MlpConfigInput): Model {
  const config = parseModelConfig({ ...configInput, kind: 'mlp' }) as MlpConfig;
  return assembleModel(config, 'mlp', false, (lb) => {
    const x = lb.input(config.inputShape);
    const h = config.inputShape.length > 1 ? lb.b.flatten(x, 1, { name: 'flatten' }) : x;
    return lb.denseHead(h, config.hidden, config.numClasses, config.bias);
  });
}
