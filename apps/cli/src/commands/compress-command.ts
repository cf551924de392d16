import { compress, evaluateAccuracy, preprocess, type CompressedLayer, type RankChoice } from '@rank-collapse/analysis';
import { Option, type Command } from 'commander';
import type { BackendChoice } from '../backends/backend-factories.js';
import { selectBackend } from '../backends/select-backend.js';
import { UsageError } from '../cli-error.js';
import { resolvePath } from '../cli-io.js';
import { dataArgument, loadCliData } from '../data/load-cli-data.js';
import { parsePreprocess } from '../data/parse-preprocess.js';
import { renderTable } from '../format/render-table.js';
import { formatNumber } from '../format/format-number.js';
import { loadModelFile } from '../model-files/load-model-file.js';
import { writeOnnx } from '../model-files/write-onnx.js';
import { backendOption, openUnitNumber, positiveInteger, threadsOption } from './common-options.js';
import { writeJson, type CommandContext } from './command-context.js';

interface CompressFlags {
  rank?: number;
  energy?: number;
  out?: string;
  data?: string;
  split: 'train' | 'test';
  perClass?: number;
  preprocess?: string;
  backend: BackendChoice;
  threads?: number;
  json?: boolean;
}

/** The `compress --json` document. */
export interface CompressionJson {
  format: 'rank-collapse-compression/1';
  model: string;
  choice: RankChoice;
  layers: CompressedLayer[];
  paramsBefore: number;
  paramsAfter: number;
  /** Accuracy on --data before and after (null without --data). */
  accuracyBefore: number | null;
  accuracyAfter: number | null;
  /** The written file, or null. */
  out: string | null;
}

/** `rank-collapse compress <model> --rank r | --energy ε`: low-rank factorization of every dense and conv layer. */
export function registerCompressCommand(program: Command, context: CommandContext): void {
  program
    .command('compress')
    .description('replace every layer\'s W by its best rank-r approximation in factored form (r·(m+n) weights instead of m·n)')
    .argument('<model>', 'a .onnx file or a TensorFlow.js Layers model.json')
    .option('--rank <r>', 'keep r singular values in every layer', positiveInteger('--rank'))
    .option('--energy <epsilon>', 'keep the smallest rank holding 1 − ε of each layer\'s ‖W‖_F²', openUnitNumber('--energy'))
    .option('--out <file.onnx>', 'write the factorized model as ONNX')
    .option('--data <name|path>', 'measure accuracy before and after on this data (mnist, fashion-mnist, tiny, or a folder of IDX files)')
    .addOption(new Option('--split <split>', 'which split of --data').choices(['train', 'test']).default('test'))
    .option('--per-class <n>', 'class-balanced subset of --data', positiveInteger('--per-class'))
    .option('--preprocess <spec>', 'input preprocessing, as for analyze')
    .addOption(backendOption())
    .addOption(threadsOption())
    .option('--json', 'print JSON (format rank-collapse-compression/1)')
    .addHelpText(
      'after',
      `
Layers where factoring would not save weights are kept dense (the table says why).

Examples:
  rank-collapse compress model.onnx --rank 10 --data mnist --out model-rank10.onnx
  rank-collapse compress model.onnx --energy 0.01 --json`,
    )
    .action(async (model: string, flags: CompressFlags) => {
      const { io } = context;
      if ((flags.rank === undefined) === (flags.energy === undefined)) throw new UsageError('compress: give exactly one of --rank r or --energy ε');
      const choice: RankChoice = flags.rank !== undefined ? { rank: flags.rank } : { energyEpsilon: flags.energy! };
      const backend = await selectBackend(flags.backend, { threads: flags.threads });
      const imported = await loadModelFile(resolvePath(io, model), backend);
      const result = compress({ graph: imported.graph, params: imported.params, choice });
      let accuracyBefore: number | null = null;
      let accuracyAfter: number | null = null;
      if (flags.data) {
        let data = loadCliData({ data: dataArgument(io, flags.data), split: flags.split, perClass: flags.perClass });
        if (flags.preprocess) data = preprocess(data, parsePreprocess(flags.preprocess));
        accuracyBefore = await evaluateAccuracy({ backend, graph: imported.graph, params: imported.params, data });
        accuracyAfter = await evaluateAccuracy({ backend, graph: result.graph, params: result.params, data });
      }
      const out = flags.out ? resolvePath(io, flags.out) : null;
      if (out) await writeOnnx(out, result.graph, result.params, backend);
      if (flags.json) {
        const document: CompressionJson = { format: 'rank-collapse-compression/1', model, choice, layers: result.layers, paramsBefore: result.paramsBefore, paramsAfter: result.paramsAfter, accuracyBefore, accuracyAfter, out };
        writeJson(io, document);
        return;
      }
      const table = renderTable<CompressedLayer>(
        [
          { header: 'layer', value: (l) => l.layer },
          { header: 'shape', value: (l) => `${l.rows}×${l.cols}` },
          { header: 'rank', value: (l) => l.rank ?? 'dense' },
          { header: 'weights before', value: (l) => l.weightsBefore },
          { header: 'after', value: (l) => l.weightsAfter },
          { header: '‖W−W_r‖/‖W‖', value: (l) => l.relativeError },
          { header: 'note', value: (l) => l.note ?? '' },
        ],
        result.layers,
      );
      const accuracy = accuracyBefore === null ? '' : `\naccuracy: ${formatNumber(accuracyBefore)} → ${formatNumber(accuracyAfter)}`;
      io.stdout(`${table}\n\nparameters: ${result.paramsBefore} → ${result.paramsAfter}${accuracy}${out ? `\nwrote ${out}` : ''}\n`);
    });
}
