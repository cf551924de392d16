import { describe, expect, it } from 'vitest';
import { expectClose } from '../test/numeric.js';
import fixture from './__fixtures__/collapse.json' with { type: 'json' };
import { collapseMetrics } from './collapse-metrics.js';
import { nc3 } from './nc3.js';

describe('nc3', () => {
  it('matches numpy on the fixture features with a random classifier', () => {
    const result = collapseMetrics(Float64Array.from(fixture.features), Int32Array.from(fixture.labels), { numClasses: fixture.numClasses });
    const classifier = { ...fixture.classifier, data: Float64Array.from(fixture.classifier.data) };
    expectClose(nc3(classifier, result.centeredClassMeans) as number, fixture.nc3, { atol: 0, rtol: 1e-9 }, 'nc3');
  });

  it('is 0 for a classifier proportional to the centered means, 2 for the opposite, null for zero', () => {
    const M = { rows: 2, cols: 3, data: Float64Array.from([1, 2, 3, -1, 0, 2]) };
    expect(nc3({ ...M, data: M.data.map((x) => 5 * x) }, M)).toBeCloseTo(0, 15);
    expectClose(nc3({ ...M, data: M.data.map((x) => -x) }, M) as number, 2, { atol: 0, rtol: 1e-15 }, 'opposite');
    expect(nc3({ ...M, data: new Float64Array(6) }, M)).toBeNull();
    expect(() => nc3({ rows: 3, cols: 2, data: new Float64Array(6) }, M)).toThrow(RangeError);
  });
});
