import { preprocess, type TokenPooling } from '@rank-collapse/analysis';
import { firstSamples } from '../data/first-samples.js';
import { analyzeAtBestLevel } from './analyze-levels.js';
import { Option, type Command } from 'commander';
import { selectBackend } from '../backends/select-backend.js';
import { resolvePath } from '../cli-io.js';
import { dataArgument, loadCliData } from '../data/load-cli-data.js';
import { parsePreprocess } from '../data/parse-preprocess.js';
import { existsSync } from 'node:fs';
import { detectWeightFormat, isCheckpointSeries, UnknownFormatError } from '@rank-collapse/model-files';
import { analyzeCheckpointSeries, analyzeWeightFile, printCheckpointSeries, printWeightFile, writeCheckpointReport } from './analyze-weights.js';
import { LAYER_COLUMNS } from '../format/layer-table.js';
import { renderTable } from '../format/render-table.js';
import { formatNumber } from '../format/format-number.js';
import type { BackendChoice } from '../backends/backend-factories.js';
import { backendOption, nonNegativeNumber, positiveInteger, threadsOption } from './common-options.js';
import { writeJson, type CommandContext } from './command-context.js';
import { UsageError } from '../cli-error.js';

interface AnalyzeFlags {
  data?: string;
  split: 'train' | 'test';
  perClass?: number;
  weightsOnly?: boolean;
  classes?: number;
  report?: string;
  singularValues?: boolean;
  preprocess?: string;
  weightDecay: number;
  rankTolerance?: number;
  batchSize?: number;
  backend: BackendChoice;
  threads?: number;
  json?: boolean;
  first?: number;
  tokenPooling: TokenPooling;
  input?: string;
}


/** `rank-collapse analyze <model>`: the collapse analysis of a model file, one row per layer. */
export function registerAnalyzeCommand(program: Command, context: CommandContext): void {
  program
    .command('analyze')
    .description('analyze the weight matrices of a model file (and, with --data, the collapse of the features each layer sees)')
    .argument('<model>', 'a model file (.onnx, TF.js model.json, .safetensors or its index, PyTorch .pt/.pth/.bin), or a folder or pattern of checkpoints')
    .option('--data <name|path>', 'stream this data through the model: mnist, fashion-mnist, tiny, or a folder of MNIST-format IDX files')
    .addOption(new Option('--split <split>', 'which split of --data').choices(['train', 'test']).default('train'))
    .option('--per-class <n>', 'use a class-balanced subset with n samples per class', positiveInteger('--per-class'))
    .option('--weights-only', 'spectral metrics of the weights only, read from the file (no data pass, no backend)')
    .option('--classes <K>', 'K for the spectral tails τ_K (default: --data\'s classes, else the output width of the model\'s classifier)', positiveInteger('--classes'))
    .option('--singular-values', 'include every layer\'s singular values')
    .option('--preprocess <spec>', 'input preprocessing, e.g. "scale=1,mean=0.1307,std=0.3081,layout=nchw" (keys: scale, mean, std, layout)')
    .option('--weight-decay <lambda>', 'λ the model was trained with: enables the certificate terms (‖E‖, ‖R‖, …)', nonNegativeNumber('--weight-decay'), 0)
    .option('--rank-tolerance <tol>', 'numerical rank counts σ_j > tol·σ_1 (default 1e-3)', nonNegativeNumber('--rank-tolerance'))
    .option('--batch-size <n>', 'samples per probe run (default 1000)', positiveInteger('--batch-size'))
    .option('--first <n>', 'use the first n samples of the split (in file order)', positiveInteger('--first'))
    .option('--input <name>', 'the model input that takes the data, when the model has several')
    .addOption(new Option('--token-pooling <how>', 'layer inputs with a token axis ([N, T, D]): per-sample mean, the first (cls) token, or every token as a sample').choices(['mean', 'cls', 'none']).default('mean'))
    .addOption(backendOption())
    .addOption(threadsOption())
    .option('--report <dir>', 'for a checkpoint series: write figures (rank, stable rank, τ_K/‖W‖_F of each layer over the checkpoints) and an HTML page to <dir>')
    .option('--json', 'print the documented JSON document (format rank-collapse-analysis/2, or rank-collapse-checkpoints/1 for a series) instead of a table')
    .addHelpText(
      'after',
      `
Without --data (or with --weights-only) only the spectra of the weights are analyzed: every weight matrix the
file holds, read without building or running the model, whatever its format (ONNX, TF.js Layers or Graph model,
safetensors, PyTorch state dict). A folder or a pattern (quote it) analyzes a series of checkpoints in training
order. The JSON output has one entry per layer: { layer, index, kind, shape: [m, n], metrics: {...},
source: {tensor, op, shape, note}, singularValues? }, and lists every tensor not analyzed in "skipped".

Examples:
  rank-collapse analyze model.onnx --weights-only
  rank-collapse analyze model.safetensors --classes 1000
  rank-collapse analyze runs/ckpt/ --json
  rank-collapse analyze 'runs/ckpt/epoch-*.pt'
  rank-collapse analyze model.onnx --data mnist --per-class 500 --weight-decay 1e-3 --json
  rank-collapse analyze model.json --data mnist --preprocess layout=nhwc --singular-values`,
    )
    .action(async (model: string, flags: AnalyzeFlags) => {
      const { io } = context;
      const file = resolvePath(io, model);
      const weightsOnly = { numClasses: flags.classes, rankTolerance: flags.rankTolerance, singularValues: Boolean(flags.singularValues) };
      if (isCheckpointSeries(file)) {
        if (flags.data && !flags.weightsOnly) throw new UsageError(`${model} is a checkpoint series, which is analyzed weights-only: drop --data, or name one checkpoint file`);
        const series = await analyzeCheckpointSeries(io, model, file, { ...weightsOnly, reason: null });
        if (flags.json) writeJson(io, series);
        else printCheckpointSeries(io, series);
        if (flags.report) {
          const written = await writeCheckpointReport(series, resolvePath(io, flags.report));
          io.stderr(`report: ${written}\n`);
        }
        return;
      }
      if (!existsSync(file)) throw new UsageError(`model file not found: ${model}`);
      try {
        detectWeightFormat(file);
      } catch (error) {
        if (error instanceof UnknownFormatError) throw new UsageError(error.message, { cause: error });
        throw error;
      }
      if (flags.report) throw new UsageError('--report draws a checkpoint series: name a folder or a pattern of checkpoints (rank-collapse report draws a sweep)');
      if (!flags.data || flags.weightsOnly) {
        const reason = flags.weightsOnly ? null : 'weights only: no --data given, so no features, backward signals or certificate';
        const { json, rows } = await analyzeWeightFile(io, model, file, { ...weightsOnly, reason });
        if (flags.json) writeJson(io, json);
        else printWeightFile(io, json, rows, weightsOnly.singularValues);
        return;
      }
      let data = loadCliData({ data: dataArgument(io, flags.data), split: flags.split, perClass: flags.perClass });
      if (flags.first !== undefined) data = firstSamples(data, flags.first);
      if (flags.preprocess) data = preprocess(data, parsePreprocess(flags.preprocess));
      const { json, rows, notes } = await analyzeAtBestLevel(io, {
        model,
        file,
        data,
        backend: () => selectBackend(flags.backend, { threads: flags.threads }),
        threads: flags.threads,
        weightDecay: flags.weightDecay,
        numClasses: flags.classes,
        rankTolerance: flags.rankTolerance,
        batchSize: flags.batchSize,
        singularValues: Boolean(flags.singularValues),
        tokenPooling: flags.tokenPooling,
        input: flags.input,
      });
      if (flags.json) writeJson(io, json);
      else {
        const header =
          json.analysis === 'weights-only'
            ? `${model}: weights-only analysis (the data could not be run through this file; see the note)`
            : `${model}: ${json.analysis} analysis, ${data.size} samples of ${data.name}, accuracy ${formatNumber(json.accuracy)}, loss ${formatNumber(json.loss)}, λ = ${json.weightDecay}`;
        io.stdout(`${header} (${json.backend?.name ?? 'no backend'}, ${json.seconds.toFixed(1)} s)\n\n${renderTable(LAYER_COLUMNS, rows)}\n`);
        if (flags.singularValues) {
          for (const row of rows) io.stdout(`\n${row.layer} σ: ${(row.singularValues ?? []).map(formatNumber).join(' ')}\n`);
        }
      }
      for (const note of notes) io.stderr(`note: ${note}\n`);
    });
}
