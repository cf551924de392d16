import { analyze, preprocess } from '@rank-collapse/analysis';
import { Option, type Command } from 'commander';
import { selectBackend } from '../backends/select-backend.js';
import { resolvePath } from '../cli-io.js';
import { dataArgument, loadCliData } from '../data/load-cli-data.js';
import { parsePreprocess } from '../data/parse-preprocess.js';
import { analysisJson } from '../format/analysis-json.js';
import { LAYER_COLUMNS } from '../format/layer-table.js';
import { renderTable } from '../format/render-table.js';
import { formatNumber } from '../format/format-number.js';
import { loadModelFile } from '../model-files/load-model-file.js';
import type { BackendChoice } from '../backends/backend-factories.js';
import { backendOption, nonNegativeNumber, positiveInteger, threadsOption } from './common-options.js';
import { writeJson, type CommandContext } from './command-context.js';

interface AnalyzeFlags {
  data?: string;
  split: 'train' | 'test';
  perClass?: number;
  weightsOnly?: boolean;
  singularValues?: boolean;
  preprocess?: string;
  weightDecay: number;
  rankTolerance?: number;
  batchSize?: number;
  backend: BackendChoice;
  threads?: number;
  json?: boolean;
}

/** `rank-collapse analyze <model>`: the collapse analysis of a model file, one row per layer. */
export function registerAnalyzeCommand(program: Command, context: CommandContext): void {
  program
    .command('analyze')
    .description('analyze the weight matrices of a model file (and, with --data, the collapse of the features each layer sees)')
    .argument('<model>', 'a .onnx file or a TensorFlow.js Layers model.json')
    .option('--data <name|path>', 'stream this data through the model: mnist, fashion-mnist, tiny, or a folder of MNIST-format IDX files')
    .addOption(new Option('--split <split>', 'which split of --data').choices(['train', 'test']).default('train'))
    .option('--per-class <n>', 'use a class-balanced subset with n samples per class', positiveInteger('--per-class'))
    .option('--weights-only', 'spectral metrics of the weights only (no data pass)')
    .option('--singular-values', 'include every layer\'s singular values')
    .option('--preprocess <spec>', 'input preprocessing, e.g. "scale=1,mean=0.1307,std=0.3081,layout=nchw" (keys: scale, mean, std, layout)')
    .option('--weight-decay <lambda>', 'λ the model was trained with: enables the certificate terms (‖E‖, ‖R‖, …)', nonNegativeNumber('--weight-decay'), 0)
    .option('--rank-tolerance <tol>', 'numerical rank counts σ_j > tol·σ_1 (default 1e-3)', nonNegativeNumber('--rank-tolerance'))
    .option('--batch-size <n>', 'samples per probe run (default 1000)', positiveInteger('--batch-size'))
    .addOption(backendOption())
    .addOption(threadsOption())
    .option('--json', 'print the documented JSON document (format rank-collapse-analysis/1) instead of a table')
    .addHelpText(
      'after',
      `
Without --data (or with --weights-only) only the spectra of the weights are analyzed.
The JSON output has one entry per layer: { layer, index, kind, shape: [m, n], metrics: {...}, singularValues? }.

Examples:
  rank-collapse analyze model.onnx --weights-only
  rank-collapse analyze model.onnx --data mnist --per-class 500 --weight-decay 1e-3 --json
  rank-collapse analyze model.json --data mnist --preprocess layout=nhwc --singular-values`,
    )
    .action(async (model: string, flags: AnalyzeFlags) => {
      const { io } = context;
      const backend = await selectBackend(flags.backend, { threads: flags.threads });
      const file = resolvePath(io, model);
      const imported = await loadModelFile(file, backend);
      let data = flags.data && !flags.weightsOnly ? loadCliData({ data: dataArgument(io, flags.data), split: flags.split, perClass: flags.perClass }) : undefined;
      if (data && flags.preprocess) data = preprocess(data, parsePreprocess(flags.preprocess));
      const result = await analyze({
        backend,
        graph: imported.graph,
        params: imported.params,
        ...(data && { data }),
        weightDecay: flags.weightDecay,
        ...(flags.rankTolerance !== undefined && { rankTolerance: flags.rankTolerance }),
        ...(flags.batchSize !== undefined && { batchSize: flags.batchSize }),
        singularValues: Boolean(flags.singularValues),
      });
      const info = {
        model,
        backend: { name: backend.name, device: backend.device },
        data: data ? { name: data.name, samples: data.size, classes: data.numClasses } : null,
        weightDecay: flags.weightDecay,
      };
      if (flags.json) {
        writeJson(io, analysisJson(result, info));
        return;
      }
      const header = data
        ? `${model}: ${data.size} samples of ${data.name}, accuracy ${formatNumber(result.accuracy)}, loss ${formatNumber(result.loss)}, λ = ${flags.weightDecay}`
        : `${model}: weights only`;
      io.stdout(`${header} (${backend.name}, ${result.seconds.toFixed(1)} s)\n\n${renderTable(LAYER_COLUMNS, result.rows)}\n`);
      if (flags.singularValues) {
        for (const row of result.rows) io.stdout(`\n${row.layer} σ: ${(row.singularValues ?? []).map(formatNumber).join(' ')}\n`);
      }
      for (const note of imported.source.notes) io.stderr(`note: ${note}\n`);
    });
}

