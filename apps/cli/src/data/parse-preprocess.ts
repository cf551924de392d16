import type { Preprocessing } from '@rank-collapse/analysis';
import { UsageError } from '../cli-error.js';

const numbers = (key: string, text: string): number | number[] => {
  const values = text.split('/').map((part) => Number(part));
  if (values.some((v) => !Number.isFinite(v)) || text.trim() === '') throw new UsageError(`--preprocess ${key}: expected a number or numbers separated by "/", got "${text}"`);
  return values.length === 1 ? values[0] : values;
};

/**
 * Parses `--preprocess` text: comma-separated `key=value` pairs with keys `scale`, `mean`, `std` (a number, or
 * one per channel separated by `/`) and `layout` (`nchw`, `nhwc`, `flat`), e.g.
 * `scale=1,mean=0.1307,std=0.3081,layout=nchw`. Values apply to the data as loaded (pixels in [0, 1]).
 * @throws UsageError naming the key or value that is wrong.
 */
export function parsePreprocess(text: string): Preprocessing {
  const out: { scale?: number; mean?: number | number[]; std?: number | number[]; layout?: Preprocessing['layout'] } = {};
  for (const pair of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const [key, value, ...rest] = pair.split('=');
    if (value === undefined || rest.length > 0) throw new UsageError(`--preprocess: expected key=value, got "${pair}"`);
    switch (key.trim()) {
      case 'scale': {
        const v = numbers('scale', value);
        if (Array.isArray(v)) throw new UsageError('--preprocess scale: expected one number');
        out.scale = v;
        break;
      }
      case 'mean':
        out.mean = numbers('mean', value);
        break;
      case 'std':
        out.std = numbers('std', value);
        if ([out.std].flat().some((s) => s <= 0)) throw new UsageError('--preprocess std: expected numbers > 0');
        break;
      case 'layout':
        if (value !== 'nchw' && value !== 'nhwc' && value !== 'flat') throw new UsageError(`--preprocess layout: expected nchw, nhwc or flat, got "${value}"`);
        out.layout = value;
        break;
      default:
        throw new UsageError(`--preprocess: unknown key "${key}" (known: scale, mean, std, layout)`);
    }
  }
  return out;
}
