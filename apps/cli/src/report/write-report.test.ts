import { describe, expect, it } from 'vitest';
import { compressionOf } from './write-report.js';

describe('compressionOf', () => {
  it('reads the fixed-rank results of the last analysis and skips energy-based ones', () => {
    const rows = [
      { epoch: 3, index: 0, 'compressedAccuracy[rank=K]': 0.5, 'compressedRank[rank=K]': null, 'compressedParams[rank=K]': 900 },
      { epoch: 10, index: 0, 'compressedAccuracy[rank=K]': 0.91, 'compressedRank[rank=K]': 10, 'compressedParams[rank=K]': 1234, 'compressedAccuracy[energy=0.01]': 0.95, 'compressedRank[energy=0.01]': 40 },
      { epoch: 10, index: 1, 'compressedAccuracy[rank=K]': 0.91, 'compressedRank[rank=K]': null, 'compressedAccuracy[rank=3]': 0.4, 'compressedRank[rank=3]': 3 },
    ];
    expect(compressionOf(rows)).toEqual([
      { rank: 10, accuracy: 0.91, split: 'test', paramsAfter: 1234 },
    ]);
    expect(compressionOf([])).toEqual([]);
  });
});
