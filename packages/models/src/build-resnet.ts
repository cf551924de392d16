import { assembleModel } from './assemble-model.js';
import type { Model } from './model.js';
import { parseModelConfig, type ResnetConfig, type ResnetConfigInput } from './model-config.js';

/**
 * Small ResNet: stem 3×3 conv → norm → activation; per stage, basic blocks
 * (conv1 3×3/stride → norm → act → conv2 3×3 → norm, plus the shortcut, → act), the shortcut being a 1×1
 * strided conv (+ norm) when the resolution or width changes, else the identity; then global average pooling
 * and a dense head to K logits. Names: `stem.*`, `stage{s}.block{j}.conv1|conv2|shortcut.weight`, their
 * `.z`, `.norm.*`, `stage{s}.block{j}.sum`, `.h`, then `pool`, `flatten`, `head.*`.
 * @throws ModelConfigError when the config does not validate.
 */
export function buildResnet(configInput: ResnetConfigInput): Model {
  const config = parseModelConfig({ ...configInput, kind: 'resnet' }) as ResnetConfig;
  const bn = config.batchNorm;
  const convBias = config.bias && !bn;
  return assembleModel(config, 'resnet', bn, (lb) => {
    const convNorm = (name: string, h: ReturnType<typeof lb.input>, out: number, kernel: number, stride: number) => {
      const z = lb.conv(name, h, out, { kernel, stride, bias: convBias });
      return bn ? lb.batchNorm(`${name}.norm`, z) : z;
    };
    let h = lb.activation('stem.h', convNorm('stem', lb.input(config.inputShape), config.stem, 3, 1));
    config.stages.forEach((stage, si) => {
      for (let j = 0; j < stage.blocks; j++) {
        const name = `stage${si + 1}.block${j + 1}`;
        const stride = j === 0 ? stage.stride : 1;
        const a = lb.activation(`${name}.conv1.h`, convNorm(`${name}.conv1`, h, stage.channels, 3, stride));
        const r = convNorm(`${name}.conv2`, a, stage.channels, 3, 1);
        const shortcut = stride !== 1 || h.shape[1] !== stage.channels ? convNorm(`${name}.shortcut`, h, stage.channels, 1, stride) : h;
        h = lb.activation(`${name}.h`, lb.b.add(r, shortcut, { name: `${name}.sum` }));
      }
    });
    const pooled = lb.b.globalAveragePool(h, { name: 'pool' });
    const flat = lb.b.flatten(pooled, 1, { name: 'flatten' });
    return lb.dense('head', flat, config.numClasses, config.bias);
  });
}
