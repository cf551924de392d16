/**
 * The weights-only side of `rank-collapse analyze`: one model file of any supported format, or a checkpoint
 * series (a folder or a pattern), read by @rank-collapse/model-files and analyzed by `analyzeWeights` — no
 * backend, no forward graph.
 */
import { basename } from 'node:path';
import { analyzeWeights, type AnalyzeWeightsOptions, type LayerRow, type WeightsAnalysis } from '@rank-collapse/analysis';
import { listCheckpoints, openWeightFile, type WeightFile } from '@rank-collapse/model-files';
import type { CliIo } from '../cli-io.js';
import { weightsAnalysisJson, type AnalysisJson } from '../format/analysis-json.js';
import { formatNumber } from '../format/format-number.js';
import { LAYER_COLUMNS } from '../format/layer-table.js';
import { renderTable, type Column } from '../format/render-table.js';
import { weightFileJson, type CheckpointSeriesJson, type ClassesJson } from '../format/weights-json.js';

export interface WeightsOnlyOptions {
  readonly numClasses?: number;
  readonly rankTolerance?: number;
  readonly singularValues: boolean;
  /** Why the analysis is weights-only when it was not asked for (no --data), for the output. */
  readonly reason: string | null;
}

/** Analyzes one file's weights; returns the JSON document and prints nothing. */
export async function analyzeWeightFile(io: CliIo, model: string, file: string, options: WeightsOnlyOptions): Promise<{ json: AnalysisJson; rows: LayerRow[] }> {
  const start = performance.now();
  const weights = await openWeightFile(file, { signal: io.signal });
  const result = await analyzeWeights(weights, analyzeOptions(io, options, basename(file)));
  const json = weightsAnalysisJson(model, weightFileJson(model, weights, result), classesOf(result), (performance.now() - start) / 1000, options.reason);
  return { json, rows: result.rows };
}

/** The table form of a weights-only analysis, with the notes that belong on stderr. */
export function printWeightFile(io: CliIo, json: AnalysisJson, rows: LayerRow[], singularValues: boolean): void {
  const producer = json.file?.producer ? `, ${json.file.producer}` : '';
  io.stdout(`${json.model}: weights only (${json.file?.format}${producer}), ${rows.length} matrices, ${kText(json.classes)} (${json.seconds.toFixed(1)} s)\n\n${renderTable(LAYER_COLUMNS, rows)}\n`);
  if (singularValues) for (const row of rows) io.stdout(`\n${row.layer} σ: ${(row.singularValues ?? []).map(formatNumber).join(' ')}\n`);
  printNotes(io, json.classes, json.skipped.length, json.reason);
}

/** Analyzes every checkpoint of a series with the K of the first one (or --classes), so rows compare. */
export async function analyzeCheckpointSeries(io: CliIo, series: string, path: string, options: WeightsOnlyOptions): Promise<CheckpointSeriesJson> {
  const start = performance.now();
  const files = listCheckpoints(path);
  const checkpoints: CheckpointSeriesJson['checkpoints'] = [];
  let classes: ClassesJson | null = null;
  for (const [i, checkpoint] of files.entries()) {
    io.signal?.throwIfAborted();
    if (!io.isTTY) io.stderr(`checkpoint ${i + 1}/${files.length}: ${checkpoint.name}\n`);
    const weights: WeightFile = await openWeightFile(checkpoint.file, { signal: io.signal });
    const numClasses = options.numClasses ?? classes?.K ?? undefined;
    const result = await analyzeWeights(weights, analyzeOptions(io, { ...options, ...(numClasses !== undefined && { numClasses }) }, checkpoint.name));
    classes ??= classesOf(result);
    checkpoints.push({ ...weightFileJson(checkpoint.file, weights, result), name: checkpoint.name, step: checkpoint.step });
  }
  return { format: 'rank-collapse-checkpoints/1', series, analysis: 'weights-only', classes: classes!, seconds: (performance.now() - start) / 1000, checkpoints };
}

interface SeriesLine {
  checkpoint: string;
  step: number | null;
  layer: LayerRowLike;
}
type LayerRowLike = CheckpointSeriesJson['checkpoints'][number]['layers'][number];

const SERIES_COLUMNS: readonly Column<SeriesLine>[] = [
  { header: 'checkpoint', value: (l) => l.checkpoint },
  { header: 'step', value: (l) => l.step },
  { header: 'layer', value: (l) => l.layer.layer },
  { header: 'shape', value: (l) => `${l.layer.shape[0]}×${l.layer.shape[1]}` },
  { header: 'rank', value: (l) => l.layer.metrics.numericalRank },
  { header: 'energy rank', value: (l) => l.layer.metrics.energyRank },
  { header: 'stable rank', value: (l) => l.layer.metrics.stableRank },
  { header: 'τK/‖W‖', value: (l) => l.layer.metrics.relativeTailK },
];

/** The table form of a checkpoint series: one line per checkpoint and layer. */
export function printCheckpointSeries(io: CliIo, json: CheckpointSeriesJson): void {
  const lines = json.checkpoints.flatMap((c) => c.layers.map((layer) => ({ checkpoint: c.name, step: c.step, layer })));
  io.stdout(`${json.series}: ${json.checkpoints.length} checkpoints, weights only, ${kText(json.classes)} (${json.seconds.toFixed(1)} s)\n\n${renderTable(SERIES_COLUMNS, lines)}\n`);
  printNotes(io, json.classes, json.checkpoints.reduce((n, c) => n + c.skipped.length, 0), null);
}

function analyzeOptions(io: CliIo, options: WeightsOnlyOptions, label: string): AnalyzeWeightsOptions {
  let last = performance.now();
  return {
    ...(options.numClasses !== undefined && { numClasses: options.numClasses }),
    ...(options.rankTolerance !== undefined && { rankTolerance: options.rankTolerance }),
    singularValues: options.singularValues,
    ...(io.signal && { signal: io.signal }),
    onMatrix: (m) => {
      // A line now and then for large files; nothing for the small ones that finish within seconds.
      if (performance.now() - last < 5000) return;
      last = performance.now();
      io.stderr(`${label}: matrix ${m.index + 1} (${m.name}, ${m.rows}×${m.cols})\n`);
    },
  };
}

function classesOf(result: WeightsAnalysis): ClassesJson {
  return { K: result.K, from: result.classesFrom };
}

function kText(classes: ClassesJson): string {
  if (classes.K === null) return 'K unknown';
  return `K = ${classes.K}${classes.from === 'model' ? ' (the output width of the classifier)' : ''}`;
}

function printNotes(io: CliIo, classes: ClassesJson, skipped: number, reason: string | null): void {
  if (reason) io.stderr(`note: ${reason}\n`);
  if (classes.K === null) io.stderr('note: the number of classes K is unknown (no classifier head found): τ_K is left out; pass --classes K\n');
  if (skipped > 0) io.stderr(`note: ${skipped} tensor${skipped === 1 ? '' : 's'} not analyzed (biases, norms, tables…); --json lists each with the reason\n`);
}

/** Writes the series' figures and page (the report package is loaded only here: it brings the plotting libraries). */
export async function writeCheckpointReport(series: CheckpointSeriesJson, outDir: string): Promise<string> {
  const { buildCheckpointReport } = await import('@rank-collapse/report');
  const data = {
    K: series.classes.K,
    checkpoints: series.checkpoints.map((c) => ({
      name: c.name,
      step: c.step,
      layers: c.layers.map((l) => ({ layer: l.layer, numericalRank: l.metrics.numericalRank, stableRank: l.metrics.stableRank, relativeTailK: l.metrics.relativeTailK })),
    })),
  };
  const built = await buildCheckpointReport({ series: data, outDir, title: `Rank of each layer over the checkpoints: ${series.series}` });
  return built.html;
}
