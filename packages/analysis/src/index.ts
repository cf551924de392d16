/** @rank-collapse/analysis: the collapse analysis on any backend, and low-rank compression. */
export { analyze, type AnalyzeOptions, type AnalysisResult } from './analyze.js';
export { analyzeWeights, type AnalyzeWeightsOptions, type WeightsAnalysis, type WeightSource, type RowSource } from './analyze-weights.js';
export { buildProbeGraph, type ProbeGraph, type ProbeGraphOptions, type ProbeLoss } from './probe-graph.js';
export { LAYER_ROW_FIELDS, COLLAPSE_FIELDS, ROW_CERTIFICATE_FIELDS, type LayerRow, type LayerKind, type CollapseField } from './layer-row.js';
export { layerWeightMatrix } from './weight-matrix.js';
export { evaluateAccuracy, type EvaluateOptions } from './evaluate.js';
export { compress, type CompressOptions, type CompressedModel, type CompressionResult, type CompressedLayer, type RankChoice } from './compress.js';
export { preprocess, type Preprocessing } from './preprocess.js';
export { analyzeForward, type AnalyzeForwardOptions, type ForwardAnalysis, type ForwardRowSource } from './forward-analysis.js';
export type { ForwardRunner, ForwardTensor, ForwardWeightNode, ForwardLayout } from './forward-runner.js';
export { tapFeatures, TOKEN_POOLINGS, type TokenPooling, type TapFeatures } from './tap-features.js';
export { bindModelInput, type ModelInputInfo, type BoundInput } from './model-input.js';
export { logitsBeforeSoftmax, type GraphLogits } from './logits-before-softmax.js';
export { chooseRanks, weightsAtRank, droppedEnergy, type ChooseRanksOptions, type ChosenRanks, type RankLayer, type RankAssignment } from './choose-ranks.js';
export { runnerAccuracy } from './runner-accuracy.js';
