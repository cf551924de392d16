import { describe, expect, it } from 'vitest';
import { loadDataset } from './load-dataset.js';

describe('loadDataset', () => {
  it('dispatches by name and passes the options on', () => {
    const tiny = loadDataset({ name: 'tiny', layout: 'image' });
    expect([tiny.train.name, tiny.train.sampleShape]).toEqual(['tiny/train', [1, 14, 14]]);
    const mixture = loadDataset({ name: 'gaussian-mixture', numClasses: 3, dimension: 4, perClass: 5, testPerClass: 2, seed: 0 });
    expect([mixture.train.size, mixture.test.size, mixture.truth.means.length]).toEqual([15, 6, 12]);
  });

  it('names the accepted datasets for an unknown name', () => {
    expect(() => loadDataset({ name: 'cifar10' } as never)).toThrow(
      'dataset name: expected mnist, fashion-mnist, tiny, gaussian-mixture, found "cifar10"',
    );
  });
});
