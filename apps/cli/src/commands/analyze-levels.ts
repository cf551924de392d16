/**
 * `analyze --data`: the fullest analysis a model file allows, chosen automatically —
 * 1. full: the file imports into the IR (probe graph with per-sample δ, the certificate);
 * 2. forward-only: onnxruntime runs the `.onnx` file as it is (accuracy, loss, collapse of every layer input);
 * 3. weights-only: the spectra of the weights read from the file.
 * The JSON says which ran and why; a `note:` line on stderr says it too.
 */
import { extname } from 'node:path';
import { analyze, analyzeForward, bindModelInput, logitsBeforeSoftmax, type TokenPooling } from '@rank-collapse/analysis';
import type { Backend } from '@rank-collapse/backend';
import type { Dataset } from '@rank-collapse/datasets';
import { detectWeightFormat, openWeightFile } from '@rank-collapse/model-files';
import type { CliIo } from '../cli-io.js';
import { analysisJson, forwardAnalysisJson, type AnalysisJson } from '../format/analysis-json.js';
import { loadModelFile } from '../model-files/load-model-file.js';
import { analyzeWeightFile } from './analyze-weights.js';
import type { LayerRow } from '@rank-collapse/analysis';

export interface LevelOptions {
  readonly model: string;
  readonly file: string;
  readonly data: Dataset;
  readonly backend: () => Promise<Backend>;
  readonly threads?: number;
  readonly weightDecay: number;
  readonly numClasses?: number;
  readonly rankTolerance?: number;
  readonly batchSize?: number;
  readonly singularValues: boolean;
  readonly tokenPooling: TokenPooling;
  readonly input?: string;
}

export interface LevelResult {
  readonly json: AnalysisJson;
  readonly rows: LayerRow[];
  /** Notes for stderr (the level and why, the logits, importer notes). */
  readonly notes: string[];
}

const firstLine = (error: unknown): string => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** Runs the fullest analysis `file` allows on `data`. @throws errors of the level that ran (bad input, runtime failures). */
export async function analyzeAtBestLevel(io: CliIo, options: LevelOptions): Promise<LevelResult> {
  const { model, file, data } = options;
  const dataJson = { name: data.name, samples: data.size, classes: data.numClasses };
  const spectral = {
    ...(options.numClasses !== undefined && { numClasses: options.numClasses }),
    ...(options.rankTolerance !== undefined && { rankTolerance: options.rankTolerance }),
    singularValues: options.singularValues,
  };
  let whyNotFull: string | null = null;
  let imported: Awaited<ReturnType<typeof loadModelFile>> | null = null;
  let backend: Backend | null = null;
  const format = detectWeightFormat(file);
  if (format === 'safetensors' || format === 'pytorch') {
    // State dicts hold weights but no graph: nothing to run the data through.
    whyNotFull = `a ${format === 'pytorch' ? 'PyTorch checkpoint' : 'safetensors file'} holds weights but no graph to run the data through`;
  } else {
    try {
      backend = await options.backend();
      imported = await loadModelFile(file, backend);
    } catch (error) {
      if (!isImportFailure(error)) throw error;
      whyNotFull = `the IR importer cannot read it (${firstLine(error)})`;
    }
  }
  if (imported && backend) {
    const inputs = imported.graph.inputs.map((i) => ({ name: i.name, dims: i.shape, type: i.dtype === 'float32' ? 'float' : i.dtype }));
    bindModelInput(model, inputs, data.sampleShape, options.input);
    const logits = logitsBeforeSoftmax(imported.graph);
    const result = await analyze({
      backend,
      graph: imported.graph,
      params: imported.params,
      data,
      weightDecay: options.weightDecay,
      logits: logits.name,
      ...(options.input !== undefined && { input: options.input }),
      ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
      ...spectral,
    });
    const json = analysisJson(result, { model, backend: { name: backend.name, device: backend.device }, data: dataJson, weightDecay: options.weightDecay, logits });
    const notes = ['analysis: full — the IR importer read the file: backward signals δ and the certificate included', ...imported.source.notes];
    if (logits.normalizedBy) notes.push(`loss and δ are computed on the logits "${logits.name}", the input of the model's final ${logits.normalizedBy} (accuracy is the same)`);
    return { json, rows: result.rows, notes };
  }
  if (extname(file).toLowerCase() === '.onnx') {
    let runner;
    let whyNotForward: string | null = null;
    try {
      const { createModelRunner, loadOrt } = await import('@rank-collapse/backend-onnx');
      const ort = await loadOrt();
      runner = { ort, runner: await createModelRunner({ ort, model: file, intraOpThreads: options.threads ?? 2 }) };
    } catch (error) {
      whyNotForward = `onnxruntime cannot run it (${firstLine(error)})`;
    }
    if (runner) {
      try {
        const weights = await openWeightFile(file, { signal: io.signal });
        const reason = `forward only: ${whyNotFull}, so no backward signals δ or certificate; onnxruntime ran the file as it is`;
        const result = await analyzeForward({
          runner: runner.runner,
          weights,
          data,
          model,
          tokenPooling: options.tokenPooling,
          ...(options.input !== undefined && { input: options.input }),
          ...(options.batchSize !== undefined && { batchSize: options.batchSize }),
          signal: io.signal,
          ...spectral,
        });
        const json = forwardAnalysisJson(result, {
          model,
          backend: { name: 'onnxruntime', device: `onnxruntime-node, CPU, ${options.threads ?? 2} threads` },
          file: { format: weights.format, producer: weights.producer },
          data: dataJson,
          reason,
        });
        const notes = [`analysis: forward-only — ${reason}`];
        if (result.logits.normalizedBy) notes.push(`loss is computed on the logits "${result.logits.name}", the input of the model's final ${result.logits.normalizedBy} (accuracy is the same)`);
        if (result.sources.some((s) => (s.tokens ?? 1) > 1)) notes.push(`layer inputs with a token axis are pooled per sample: ${result.tokenPooling} (--token-pooling mean|cls|none)`);
        notes.push('conv layer inputs are the whole input feature map of each sample (C·H·W values), as in the full analysis');
        return { json, rows: result.rows, notes };
      } finally {
        await runner.runner.dispose();
      }
    }
    whyNotFull = `${whyNotFull}; ${whyNotForward}`;
  } else if (format !== 'safetensors' && format !== 'pytorch') {
    whyNotFull = `${whyNotFull}; only .onnx files run without the IR`;
  }
  const reason = `weights only: ${whyNotFull}`;
  const { json, rows } = await analyzeWeightFile(io, model, file, { numClasses: options.numClasses, rankTolerance: options.rankTolerance, singularValues: options.singularValues, reason });
  return { json, rows, notes: [`analysis: weights-only — ${reason}`] };
}

/** Errors that mean "the IR cannot take this model" (as opposed to bad data or a failing run). */
function isImportFailure(error: unknown): boolean {
  const code = (error as { code?: string }).code;
  return code === 'MODEL_FILE' || code === 'UNSUPPORTED' || code === 'GRAPH' || code === 'SHAPE' || code === 'BACKEND_UNAVAILABLE';
}
