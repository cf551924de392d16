import type { Value } from '@rank-collapse/backend';
import { findLayers } from './find-layers.js';
import { initializeParams } from './initialization.js';
import { LayerBuilder } from './layer-builder.js';
import type { Model } from './model.js';
import type { ModelConfig } from './model-config.js';

/**
 * Builds the inference graph and (when the architecture has batch norm) the training-mode graph from one
 * architecture function, and derives layers, param count and initializer from them.
 */
export function assembleModel(config: ModelConfig, name: string, hasBatchNorm: boolean, forward: (lb: LayerBuilder) => Value): Model {
  const inference = new LayerBuilder(name, false, config.activation, config.init);
  const graph = inference.finish(forward(inference));
  let trainingGraph = graph;
  let runningStats: Record<string, string> = {};
  if (hasBatchNorm) {
    const training = new LayerBuilder(`${name}-training`, true, config.activation, config.init);
    trainingGraph = training.finish(forward(training));
    runningStats = training.runningStats;
  }
  const specs = inference.specs;
  const paramCount = specs
    .filter((s) => s.role !== 'running-mean' && s.role !== 'running-var')
    .reduce((sum, s) => sum + s.shape.reduce((p, d) => p * d, 1), 0);
  return {
    config,
    graph,
    trainingGraph,
    numClasses: config.numClasses,
    sampleShape: [...config.inputShape],
    layers: findLayers(graph),
    runningStats,
    initialParams: (seed) => initializeParams(specs, seed),
    paramCount,
  };
}
