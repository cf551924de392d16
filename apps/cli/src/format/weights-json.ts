import type { RowSource, WeightsAnalysis } from '@rank-collapse/analysis';
import type { SkippedTensor, WeightFile } from '@rank-collapse/model-files';
import { layerJson, type LayerJson } from './analysis-json.js';

/** Where K (the rank the tails are measured against) came from. */
export interface ClassesJson {
  /** null: unknown (pass --classes K for τ_K). */
  K: number | null;
  from: 'option' | 'model' | 'unknown' | 'data';
}

/** One layer of a weights-only analysis: its row, and the stored tensor it was read from. */
export interface WeightLayerJson extends LayerJson {
  source: RowSource;
}

/** What a weights-only analysis reports of one file. */
export interface WeightFileJson {
  file: string;
  format: WeightFile['format'];
  producer: string | null;
  layers: WeightLayerJson[];
  /** Every tensor not analyzed, with the reason. */
  skipped: SkippedTensor[];
}

/** `analyze --json` of a checkpoint series (a folder or a pattern): one entry per checkpoint, in training order. */
export interface CheckpointSeriesJson {
  format: 'rank-collapse-checkpoints/1';
  series: string;
  analysis: 'weights-only';
  classes: ClassesJson;
  seconds: number;
  checkpoints: Array<WeightFileJson & { name: string; step: number | null }>;
}

/** The layers and skipped tensors of one weights-only analysis. */
export function weightFileJson(file: string, weights: Pick<WeightFile, 'format' | 'producer'>, result: WeightsAnalysis): WeightFileJson {
  return {
    file,
    format: weights.format,
    producer: weights.producer,
    layers: result.rows.map((row, i) => ({ ...layerJson(row), source: result.sources[i] })),
    skipped: result.skipped,
  };
}
