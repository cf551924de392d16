/** The TF.js readers (Layers and Graph models), as the dispatcher imports them. */
export { openTfjsLayersWeights } from './open-tfjs-layers-weights.js';
export { openTfjsGraphWeights } from './open-tfjs-graph-weights.js';
