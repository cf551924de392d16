/**
 * Input preprocessing for imported models: models trained elsewhere expect their own scaling, per-channel
 * normalization and layout. Declaring it here (and reading the accuracy `analyze` reports) makes a mismatch
 * visible at once.
 */
import type { Dataset } from '@rank-collapse/datasets';
import { GraphError } from '@rank-collapse/backend';

export interface Preprocessing {
  /** Multiplies raw values first (e.g. 255 to undo a [0,1] scaling). Default 1. */
  readonly scale?: number;
  /** Per-channel mean subtracted after scaling (one value, or one per channel). Default 0. */
  readonly mean?: number | readonly number[];
  /** Per-channel std divided after the mean. Default 1. */
  readonly std?: number | readonly number[];
  /** Layout the model expects: 'nchw' (default for image data), 'nhwc', or 'flat'. */
  readonly layout?: 'nchw' | 'nhwc' | 'flat';
}

/**
 * Returns a new dataset with x transformed per `p` (the input is not changed). Image samples are [C, H, W]
 * (the datasets package's layout); 'nhwc' reorders them to [H, W, C], 'flat' to [C·H·W].
 * @throws GraphError if per-channel values do not match the channel count.
 */
export function preprocess(data: Dataset, p: Preprocessing): Dataset {
  const image = data.sampleShape.length === 3;
  const [C, H, W] = image ? data.sampleShape : [1, 1, data.sampleShape.reduce((a, d) => a * d, 1)];
  const perChannel = (v: number | readonly number[] | undefined, fallback: number, what: string): number[] => {
    if (v === undefined) return new Array(C).fill(fallback);
    if (typeof v === 'number') return new Array(C).fill(v);
    if (v.length !== C) throw new GraphError(`preprocess: ${what} has ${v.length} values, dataset "${data.name}" has ${C} channels`);
    return [...v];
  };
  const scale = p.scale ?? 1;
  const mean = perChannel(p.mean, 0, 'mean');
  const std = perChannel(p.std, 1, 'std');
  const layout = p.layout ?? (image ? 'nchw' : 'flat');
  const size = C * H * W;
  const x = new Float32Array(data.x.length);
  for (let n = 0; n < data.size; n++) {
    const base = n * size;
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < H * W; i++) {
        const v = (data.x[base + c * H * W + i] * scale - mean[c]) / std[c];
        x[layout === 'nhwc' ? base + i * C + c : base + c * H * W + i] = v;
      }
    }
  }
  const sampleShape = layout === 'flat' ? [size] : layout === 'nhwc' ? [H, W, C] : [C, H, W];
  return { ...data, x, sampleShape };
}
