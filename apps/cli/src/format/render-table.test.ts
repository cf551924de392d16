import { describe, expect, it } from 'vitest';
import { formatNumber } from './format-number.js';
import { renderTable } from './render-table.js';

describe('formatNumber', () => {
  it('keeps integers, rounds to 4 significant digits, uses exponents for tiny and huge values', () => {
    expect(formatNumber(784)).toBe('784');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(12.34567)).toBe('12.35');
    expect(formatNumber(1e-5)).toBe('1.00e-5');
    expect(formatNumber(123456.7)).toBe('1.23e+5');
    expect(formatNumber(0)).toBe('0');
  });
  it('shows missing values as a dash and infinities as ∞', () => {
    expect(formatNumber(null)).toBe('—');
    expect(formatNumber(undefined)).toBe('—');
    expect(formatNumber(Number.NaN)).toBe('—');
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBe('∞');
  });
});

describe('renderTable', () => {
  it('pads columns, right-aligns numbers and left-aligns text', () => {
    const table = renderTable(
      [
        { header: 'layer', value: (r: { name: string; rank: number }) => r.name },
        { header: 'rank', value: (r) => r.rank },
      ],
      [
        { name: 'dense1', rank: 256 },
        { name: 'dense4', rank: 10 },
      ],
    );
    expect(table).toBe(['layer   rank', '──────  ────', 'dense1   256', 'dense4    10'].join('\n'));
  });
});
