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
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import type { Dataset } from '@rank-collapse/datasets';
import { firstSamples } from '../data/first-samples.js';
import { compressOnnx, writeBytes, type OnnxCompressedLayer, type OnnxRankChoice } from './compress-onnx.js';

interface CompressFlags {
  rank?: number;
  energy?: number;
  maxAccuracyDrop?: number;
  input?: string;
  first?: number;
  out?: string;
  data?: string;
  split: 'train' | 'test';
  perClass?: number;
  preprocess?: string;
  backend: BackendChoice;
  threads?: number;
  json?: boolean;
}

/**
 * The `compress --json` document. `method` says how the file was rewritten: `graph-surgery` (an `.onnx` file:
 * the original graph with each chosen MatMul/Gemm/Conv weight replaced by its factors, everything else kept)
 * or `ir` (a TF.js model.json, translated into the IR and exported as ONNX).
 */
export interface CompressionJson {
  format: 'rank-collapse-compression/1';
  model: string;
  method: 'graph-surgery' | 'ir';
  choice: RankChoice | OnnxRankChoice;
  layers: (CompressedLayer | OnnxCompressedLayer)[];
  paramsBefore: number;
  paramsAfter: number;
  /** Accuracy on --data before and after (null without --data). */
  accuracyBefore: number | null;
  accuracyAfter: number | null;
  /** The written file, or null. */
  out: string | null;
  /** --max-accuracy-drop: accuracy on the held-out half used to choose the ranks, before and after, and the models evaluated. */
  check?: { accuracyBefore: number | null; accuracyAfter: number | null; evaluations: number };
}

/** `rank-collapse compress <model> --rank r | --energy ε`: low-rank factorization of every dense and conv layer. */
export function registerCompressCommand(program: Command, context: CommandContext): void {
  program
    .command('compress')
    .description('replace every layer\'s W by its best rank-r approximation in factored form (r·(m+n) weights instead of m·n)')
    .argument('<model>', 'a .onnx file or a TensorFlow.js Layers model.json')
    .option('--rank <r>', 'keep r singular values in every layer', positiveInteger('--rank'))
    .option('--energy <epsilon>', 'keep the smallest rank holding 1 − ε of each layer\'s ‖W‖_F²', openUnitNumber('--energy'))
    .option('--max-accuracy-drop <share>', 'per-layer ranks that shrink the model most while the accuracy on a held-out half of --data drops by at most this share (e.g. 0.005)', openUnitNumber('--max-accuracy-drop'))
    .option('--input <name>', 'the model input that takes the data, when the model has several')
    .option('--out <file.onnx>', 'write the factorized model as ONNX')
    .option('--data <name|path>', 'measure accuracy before and after on this data (mnist, fashion-mnist, tiny, or a folder of IDX files)')
    .addOption(new Option('--split <split>', 'which split of --data').choices(['train', 'test']).default('test'))
    .option('--per-class <n>', 'class-balanced subset of --data', positiveInteger('--per-class'))
    .option('--first <n>', 'use the first n samples of the split (in file order)', positiveInteger('--first'))
    .option('--preprocess <spec>', 'input preprocessing, as for analyze')
    .addOption(backendOption())
    .addOption(threadsOption())
    .option('--json', 'print JSON (format rank-collapse-compression/1)')
    .addHelpText(
      'after',
      `
An .onnx file is rewritten by graph surgery: each chosen MatMul/Gemm/Conv weight W becomes its rank-r factors
(two MatMuls/Gemms, or an r-filter conv followed by a 1×1 conv) and every other node and tensor is kept, so any
model onnxruntime runs can be compressed. --max-accuracy-drop chooses the ranks greedily on the spectra, checking
each step with the real accuracy of the rewritten file (every second sample of --data; the budget is then
verified on all of it). A TF.js model.json goes through the IR importer and is written as ONNX. Layers where
factoring would not save weights are kept dense (the table says why).

Examples:
  rank-collapse compress vit.onnx --max-accuracy-drop 0.005 --data mnist --split test --out vit-small.onnx
  rank-collapse compress model.onnx --rank 10 --data mnist --out model-rank10.onnx
  rank-collapse compress model.onnx --energy 0.01 --json`,
    )
    .action(async (model: string, flags: CompressFlags) => {
      const { io } = context;
      const given = [flags.rank, flags.energy, flags.maxAccuracyDrop].filter((v) => v !== undefined).length;
      if (given !== 1) throw new UsageError('compress: give exactly one of --rank r, --energy ε or --max-accuracy-drop share');
      const file = resolvePath(io, model);
      const loadData = (): Dataset | null => {
        if (!flags.data) return null;
        let data = loadCliData({ data: dataArgument(io, flags.data), split: flags.split, perClass: flags.perClass });
        if (flags.first !== undefined) data = firstSamples(data, flags.first);
        if (flags.preprocess) data = preprocess(data, parsePreprocess(flags.preprocess));
        return data;
      };
      if (extname(file).toLowerCase() === '.onnx') {
        if (!existsSync(file)) throw new UsageError(`model file not found: ${file}`);
        const choice: OnnxRankChoice = flags.rank !== undefined ? { rank: flags.rank } : flags.energy !== undefined ? { energyEpsilon: flags.energy } : { maxAccuracyDrop: flags.maxAccuracyDrop! };
        const result = await compressOnnx(file, choice, loadData(), { threads: flags.threads, input: flags.input });
        const out = flags.out ? resolvePath(io, flags.out) : null;
        if (out) await writeBytes(out, result.bytes);
        const check = 'maxAccuracyDrop' in choice ? { accuracyBefore: result.checkAccuracyBefore, accuracyAfter: result.checkAccuracyAfter, evaluations: result.evaluations } : undefined;
        if (flags.json) {
          writeJson(io, { format: 'rank-collapse-compression/1', model, method: 'graph-surgery', choice, layers: result.layers, paramsBefore: result.paramsBefore, paramsAfter: result.paramsAfter, accuracyBefore: result.accuracyBefore, accuracyAfter: result.accuracyAfter, out, ...(check && { check }) } satisfies CompressionJson);
          return;
        }
        const table = renderTable<OnnxCompressedLayer>(
          [
            { header: 'layer', value: (l) => l.layer },
            { header: 'op', value: (l) => l.op },
            { header: 'shape', value: (l) => `${l.rows}×${l.cols}` },
            { header: 'rank', value: (l) => l.rank ?? 'dense' },
            { header: 'params before', value: (l) => l.weightsBefore },
            { header: 'after', value: (l) => l.weightsAfter },
            { header: 'σ² kept', value: (l) => l.energyKept },
            { header: 'note', value: (l) => l.note ?? '' },
          ],
          result.layers,
        );
        const accuracy = result.accuracyBefore === null ? '' : `\naccuracy on ${flags.data}: ${formatNumber(result.accuracyBefore)} → ${formatNumber(result.accuracyAfter)}`;
        const checked = check ? `\nheld-out half used to choose: ${formatNumber(check.accuracyBefore)} → ${formatNumber(check.accuracyAfter)} (${check.evaluations} models evaluated)` : '';
        io.stdout(`${table}\n\nparameters: ${result.paramsBefore} → ${result.paramsAfter}${accuracy}${checked}${out ? `\nwrote ${out}` : ''}\n`);
        io.stderr('note: compressed by graph surgery on the original ONNX graph (factorized MatMul/Gemm/Conv weights, every other node kept)\n');
        return;
      }
      if (flags.maxAccuracyDrop !== undefined) throw new UsageError('compress --max-accuracy-drop works on .onnx files (graph surgery); convert the model to ONNX first');
      const choice: RankChoice = flags.rank !== undefined ? { rank: flags.rank } : { energyEpsilon: flags.energy! };
      const backend = await selectBackend(flags.backend, { threads: flags.threads });
      const imported = await loadModelFile(file, backend);
      const result = compress({ graph: imported.graph, params: imported.params, choice });
      let accuracyBefore: number | null = null;
      let accuracyAfter: number | null = null;
      if (flags.data) {
        const data = loadData()!;
        accuracyBefore = await evaluateAccuracy({ backend, graph: imported.graph, params: imported.params, data });
        accuracyAfter = await evaluateAccuracy({ backend, graph: result.graph, params: result.params, data });
      }
      const out = flags.out ? resolvePath(io, flags.out) : null;
      if (out) await writeOnnx(out, result.graph, result.params, backend);
      if (flags.json) {
        const document: CompressionJson = { format: 'rank-collapse-compression/1', model, method: 'ir', choice, layers: result.layers, paramsBefore: result.paramsBefore, paramsAfter: result.paramsAfter, accuracyBefore, accuracyAfter, out };
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
