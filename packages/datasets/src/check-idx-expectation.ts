import { DatasetError } from './dataset-error.js';
import type { IdxArray, IdxExpectation } from './parse-idx.js';

/**
 * Checks a parsed IDX array against required dtype and dimensions.
 * @throws DatasetError (`invalid-format`) naming `file`, with expected vs found dtype or dimensions.
 */
export function checkIdxExpectation(idx: Pick<IdxArray, 'dtype' | 'dims'>, file: string, expect: IdxExpectation): void {
  if (expect.dtype !== undefined && idx.dtype !== expect.dtype) {
    throw new DatasetError('invalid-format', 'IDX dtype', { file, expected: expect.dtype, found: idx.dtype });
  }
  if (expect.dims !== undefined) {
    const ok = expect.dims.length === idx.dims.length && expect.dims.every((d, i) => d === null || d === idx.dims[i]);
    if (!ok) {
      throw new DatasetError('invalid-format', 'IDX dimensions', {
        file,
        expected: `[${expect.dims.map((d) => d ?? '*').join(', ')}]`,
        found: `[${idx.dims.join(', ')}]`,
      });
    }
  }
}
