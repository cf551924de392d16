/** Pooling over kh×kw windows (NCHW): average (with or without the padding in the divisor), global average, max. */
import { RunError } from '../../../errors.js';
import { formatShape, windowOutputSize } from '../../../ir/shape.js';
import type { Pads2d } from '../../../ir/types.js';
import { asFloat, floatTensor, type FloatTensor } from '../tensor.js';
import type { KernelTable } from './kernel.js';

interface PoolAttrs {
  readonly kernelShape: readonly number[];
  readonly strides?: readonly number[];
  readonly pads?: Pads2d;
}

type Mode = 'average-exclude-pad' | 'average-include-pad' | 'max';

function pool(x: FloatTensor, attrs: PoolAttrs, mode: Mode, where: string): FloatTensor {
  if (x.shape.length !== 4) throw new RunError(`${where}: input X must have rank 4, got ${formatShape(x.shape)}`);
  const [n, c, h, w] = x.shape;
  const [kh, kw] = attrs.kernelShape;
  const s = attrs.strides ?? [1, 1];
  const p = attrs.pads ?? [0, 0, 0, 0];
  const oh = windowOutputSize(h, kh, s[0], p[0], p[2], 1);
  const ow = windowOutputSize(w, kw, s[1], p[1], p[3], 1);
  const out = floatTensor([n, c, oh, ow]);
  for (let plane = 0; plane < n * c; plane++) {
    const base = plane * h * w;
    for (let y = 0; y < oh; y++) {
      for (let z = 0; z < ow; z++) {
        let acc = mode === 'max' ? -Infinity : 0;
        let count = 0;
        for (let i = 0; i < kh; i++) {
          const row = y * s[0] - p[0] + i;
          if (row < 0 || row >= h) continue;
          for (let j = 0; j < kw; j++) {
            const col = z * s[1] - p[1] + j;
            if (col < 0 || col >= w) continue;
            const v = x.data[base + row * w + col];
            acc = mode === 'max' ? (v > acc || Number.isNaN(v) ? v : acc) : acc + v;
            count++;
          }
        }
        // With floor-mode output sizes every window lies inside the padded input, so the divisor including padding is kh·kw.
        const value = mode === 'max' ? acc : acc / (mode === 'average-include-pad' ? kh * kw : count);
        out.data[((plane * oh) + y) * ow + z] = value;
      }
    }
  }
  return out;
}

export const POOL_KERNELS: KernelTable<'AveragePool' | 'GlobalAveragePool' | 'MaxPool'> = {
  AveragePool: ([x], attrs, { where }) => [pool(asFloat(x, where, 'input X'), attrs, attrs.countIncludePad ? 'average-include-pad' : 'average-exclude-pad', where)],
  GlobalAveragePool: ([x], _attrs, { where }) => {
    const t = asFloat(x, where, 'input X');
    if (t.shape.length !== 4) throw new RunError(`${where}: input X must have rank 4, got ${formatShape(t.shape)}`);
    return [pool(t, { kernelShape: [t.shape[2], t.shape[3]] }, 'average-exclude-pad', where)];
  },
  MaxPool: ([x], attrs, { where }) => [pool(asFloat(x, where, 'input X'), attrs, 'max', where)],
};
