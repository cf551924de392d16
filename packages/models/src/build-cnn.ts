import { assembleModel } from './assemble-model.js';
import type { Model } from './model.js';
import { parseModelConfig, type CnnConfig, type CnnConfigInput } from './model-config.js';

/**
 * VGG-style CNN: blocks of 3×3 convs (stride 1, padding 1) each followed by optional batch norm and the
 * activation, 2×2/stride-2 pooling after each block, flatten, hidden dense layers, dense classifier.
 * Names: `conv{k}.weight` [C_out, C_in, 3, 3] (k counts convs across blocks), `conv{k}.z`, `conv{k}.norm.*`,
 * `conv{k}.h`, `block{b}.pool`, `flatten`, then `dense{l}.*` as in the MLP.
 * @throws ModelConfigError when the config does not validate; GraphError when pooling no longer fits the image.
 */
export function buildCnn(configInput: CnnConfigInput): Model {
  const config = parseModelConfig({ ...configInput, kind: 'cnn' }) as CnnConfig;
  return assembleModel(config, 'cnn', config.batchNorm, (lb) => {
    let h = lb.input(config.inputShape);
    let k = 0;
    config.blocks.forEach((block, bi) => {
      for (const channels of block.channels) {
        const name = `conv${++k}`;
        let z = lb.conv(name, h, channels, { kernel: 3, stride: 1, bias: config.bias && !config.batchNorm });
        if (config.batchNorm) z = lb.batchNorm(`${name}.norm`, z);
        h = lb.activation(`${name}.h`, z);
      }
      const pool = { kernelShape: [2, 2], strides: [2, 2] };
      if (block.pool === 'max') h = lb.b.maxPool(h, pool, { name: `block${bi + 1}.pool` });
      else if (block.pool === 'avg') h = lb.b.averagePool(h, pool, { name: `block${bi + 1}.pool` });
    });
    h = lb.b.flatten(h, 1, { name: 'flatten' });
    return lb.denseHead(h, config.hidden, config.numClasses, config.bias);
  });
}
