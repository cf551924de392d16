import { loadTrialData } from '@rank-collapse/experiment';
import { buildModel } from '@rank-collapse/models';
import { train, type EpochRecord } from '@rank-collapse/training';
import type { Command } from 'commander';
import { isBackendChoice, type BackendChoice } from '../backends/backend-factories.js';
import { selectBackend } from '../backends/select-backend.js';
import { UsageError } from '../cli-error.js';
import { resolvePath } from '../cli-io.js';
import { EXIT_CODES } from '../exit-codes.js';
import { formatNumber } from '../format/format-number.js';
import { renderTable } from '../format/render-table.js';
import { writeOnnx } from '../model-files/write-onnx.js';
import { presetFile } from '../presets/presets.js';
import { loadCliSweep } from '../trial/load-sweep.js';
import { trialDatasetSchema, trialTrainingSchema } from '../trial/sweep-schemas.js';
import { backendOption, nonNegativeNumber, positiveInteger, stepsPerRunOption, threadsOption } from './common-options.js';
import { writeJson, type CommandContext } from './command-context.js';

interface TrainFlags {
  preset?: string;
  trial: number;
  weightDecay?: number;
  epochs?: number;
  out?: string;
  backend?: BackendChoice;
  threads?: number;
  stepsPerRun?: number;
  json?: boolean;
  quiet?: boolean;
}

/** `rank-collapse train <file | --preset NAME>`: trains one trial of a sweep file without a store; can export the model. */
export function registerTrainCommand(program: Command, context: CommandContext): void {
  program
    .command('train')
    .description('train one trial of a sweep file (no store) and optionally export the trained model as ONNX')
    .argument('[file]', 'sweep file (YAML or JSON)')
    .option('--preset <name>', 'take the trial from a preset')
    .option('--trial <index>', 'which trial of the grid (0-based, grid order)', (v) => Number.parseInt(v, 10), 0)
    .option('--weight-decay <lambda>', 'override λ', nonNegativeNumber('--weight-decay'))
    .option('--epochs <n>', 'override the number of epochs', positiveInteger('--epochs'))
    .option('--out <file.onnx>', 'write the trained model as ONNX (analyze it with `rank-collapse analyze`)')
    .addOption(backendOption().default(undefined, 'the file\'s `backend`, else auto'))
    .addOption(threadsOption())
    .addOption(stepsPerRunOption())
    .option('--json', 'print JSON: { trial, status, epochs: [...], out }')
    .option('--quiet', 'no progress lines')
    .addHelpText(
      'after',
      `
Exit code 3 when training diverged (a NaN/∞ loss).

Examples:
  rank-collapse train --preset demo --trial 4 --out runs/mlp.onnx
  rank-collapse train my-sweep.yaml --weight-decay 1e-3 --epochs 20 --json`,
    )
    .action(async (file: string | undefined, flags: TrainFlags) => {
      const { io } = context;
      if ((file === undefined) === (flags.preset === undefined)) throw new UsageError('train: give a sweep file or --preset NAME (not both)');
      const source = flags.preset !== undefined ? presetFile(flags.preset) : resolvePath(io, file!);
      const sweep = await loadCliSweep(source, { backend: flags.backend, displayName: flags.preset !== undefined ? `preset ${flags.preset}` : file });
      const trial = sweep.trials[flags.trial];
      if (!Number.isInteger(flags.trial) || !trial) throw new UsageError(`--trial: expected an index from 0 to ${sweep.trials.length - 1}, got ${flags.trial}`);
      const training = trialTrainingSchema.parse(trial.config.training);
      if (flags.weightDecay !== undefined) training.weightDecay = flags.weightDecay;
      if (flags.epochs !== undefined) training.epochs = flags.epochs;
      const choice = trial.config.backend;
      // loadCliSweep validated it against this command's backend names.
      if (!isBackendChoice(choice)) throw new UsageError(`backend: expected one of onnx, tfjs, reference, auto, got "${choice}"`);
      const backend = await selectBackend(choice, { threads: flags.threads });
      const data = loadTrialData(trialDatasetSchema.parse(trial.config.dataset));
      const model = buildModel(trial.config.model);
      if (!flags.quiet) io.stderr(`training trial ${trial.index} (${Object.entries(trial.axes).map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ')}) λ=${training.weightDecay} on ${backend.name}\n`);
      const result = await train({
        backend,
        model,
        data,
        options: { ...training, seed: trial.config.seed },
        ...(io.signal && { signal: io.signal }),
        ...(flags.stepsPerRun !== undefined && { stepsPerRun: flags.stepsPerRun }),
        onEpoch: (r) => {
          if (!flags.quiet) io.stderr(`epoch ${r.epoch}/${training.epochs}: loss ${formatNumber(r.trainLoss)}, train acc ${formatNumber(r.trainAccuracy)}, test acc ${formatNumber(r.testAccuracy)} (${r.seconds.toFixed(1)} s)\n`);
        },
      });
      const out = flags.out && result.status !== 'diverged' ? resolvePath(io, flags.out) : null;
      if (out) await writeOnnx(out, model.graph, result.params, backend);
      if (flags.json) {
        writeJson(io, { format: 'rank-collapse-train/1', trial: { index: trial.index, key: trial.key, axes: trial.axes }, weightDecay: training.weightDecay, status: result.status, diverged: result.diverged ?? null, epochs: result.epochs, out });
      } else {
        io.stdout(`${renderTable<EpochRecord>(
          [
            { header: 'epoch', value: (r) => r.epoch },
            { header: 'train loss', value: (r) => r.trainLoss },
            { header: 'train acc', value: (r) => r.trainAccuracy },
            { header: 'test loss', value: (r) => r.testLoss },
            { header: 'test acc', value: (r) => r.testAccuracy },
            { header: 'penalty', value: (r) => r.penalty },
            { header: 'seconds', value: (r) => r.seconds },
          ],
          result.epochs,
        )}\n${result.status === 'diverged' ? `diverged: ${result.diverged?.reason}\n` : ''}${out ? `wrote ${out}\n` : ''}`);
      }
      if (result.status === 'diverged') context.setExitCode(EXIT_CODES.trialsFailed);
      if (result.status === 'aborted') context.setExitCode(EXIT_CODES.interrupted);
    });
}
