import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli-error.js';
import { parsePreprocess } from './parse-preprocess.js';

describe('parsePreprocess', () => {
  it('reads scale, per-channel mean/std and layout', () => {
    expect(parsePreprocess('scale=255,mean=0.5/0.4/0.3,std=0.2,layout=nhwc')).toEqual({ scale: 255, mean: [0.5, 0.4, 0.3], std: 0.2, layout: 'nhwc' });
    expect(parsePreprocess('')).toEqual({});
  });
  it('names the key or value that is wrong', () => {
    expect(() => parsePreprocess('shift=1')).toThrow(new UsageError('--preprocess: unknown key "shift" (known: scale, mean, std, layout)'));
    expect(() => parsePreprocess('layout=chw')).toThrow('--preprocess layout: expected nchw, nhwc or flat, got "chw"');
    expect(() => parsePreprocess('mean=a')).toThrow('--preprocess mean: expected a number or numbers separated by "/", got "a"');
    expect(() => parsePreprocess('std=0')).toThrow('--preprocess std: expected numbers > 0');
    expect(() => parsePreprocess('scale')).toThrow('--preprocess: expected key=value, got "scale"');
  });
});
