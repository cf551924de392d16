import { existsSync } from 'node:fs';
import type { ExportTable, SweepStore } from '@rank-collapse/sweep';
import { Option, type Command } from 'commander';
import { CliError, UsageError, withPath } from '../cli-error.js';
import { resolvePath } from '../cli-io.js';
import { writeJson, type CommandContext } from './command-context.js';

/** The store's exportable tables, without loading the store: a Record so that a table added there must be added here. */
const TABLES: Record<ExportTable, true> = { trials: true, epochs: true, layers: true, spectra: true, compression: true };

interface ExportFlags {
  trial?: string;
  table?: ExportTable;
  format: 'csv' | 'jsonl';
  out: string;
  json?: boolean;
}

/** `rank-collapse export <sweep.sqlite>`: a trial's trained model as ONNX, or a store table as CSV/JSONL. */
export function registerExportCommand(program: Command, context: CommandContext): void {
  program
    .command('export')
    .description('export a trained model of a sweep store as ONNX (--trial), or one of its tables as CSV/JSONL (--table)')
    .argument('<store>', 'a sweep.sqlite written by `rank-collapse sweep`')
    .option('--trial <key|index>', 'the trial whose latest checkpoint to export (key, key prefix, or grid index)')
    .addOption(new Option('--table <name>', 'export a table instead').choices(Object.keys(TABLES)))
    .addOption(new Option('--format <format>', 'table format').choices(['csv', 'jsonl']).default('csv'))
    .requiredOption('--out <file>', 'where to write (model.onnx, or the table file)')
    .option('--json', 'print JSON: { out, rows? , trial?, epoch? }')
    .addHelpText(
      'after',
      `
Examples:
  rank-collapse export runs/demo/sweep.sqlite --trial 5 --out lambda-1e-2.onnx
  rank-collapse export runs/demo/sweep.sqlite --table layers --format csv --out layers.csv`,
    )
    .action(async (storeArgument: string, flags: ExportFlags) => {
      const { io } = context;
      if ((flags.trial === undefined) === (flags.table === undefined)) throw new UsageError('export: give exactly one of --trial or --table');
      const storePath = resolvePath(io, storeArgument);
      if (!existsSync(storePath)) throw new UsageError(`store not found: ${storeArgument}`);
      const out = resolvePath(io, flags.out);
      // Loaded here (SQLite, the model builders, training): `export --help` needs none of them.
      const [{ exportTable, openSweepStore }, { buildModel }, { decodeCheckpoint }, { writeOnnx }] = await Promise.all([
        import('@rank-collapse/sweep'),
        import('@rank-collapse/models'),
        import('@rank-collapse/training'),
        import('../model-files/write-onnx.js'),
      ]);
      const store = openSweepStore(storePath, { readonly: true });
      try {
        if (flags.table) {
          const rows = await exportTable(store, flags.table, flags.format, out).catch((error: unknown) => {
            throw withPath(error, out);
          });
          if (flags.json) writeJson(io, { out, rows });
          else io.stdout(`wrote ${rows} row(s) of ${flags.table} to ${out}\n`);
          return;
        }
        const trial = findTrial(store, flags.trial!);
        const stored = store.latestCheckpoint(trial.key);
        if (!stored?.data) throw new CliError(`trial ${trial.index} (${trial.key}) has no checkpoint in the store (status ${trial.status})`);
        const checkpoint = decodeCheckpoint(stored.data, `checkpoint of trial ${trial.key}`);
        const model = buildModel(trial.config.model);
        await writeOnnx(out, model.graph, checkpoint.params).catch((error: unknown) => {
          throw withPath(error, out);
        });
        if (flags.json) writeJson(io, { out, trial: trial.key, index: trial.index, epoch: checkpoint.epoch });
        else io.stdout(`wrote trial ${trial.index} at epoch ${checkpoint.epoch} to ${out}\n`);
      } finally {
        store.close();
      }
    });
}

/** A trial by full key, unique key prefix, or grid index. @throws UsageError when none or several match. */
function findTrial(store: SweepStore, selector: string) {
  const trials = store.listTrials();
  const byIndex = /^\d+$/.test(selector) ? trials.filter((t) => t.index === Number(selector)) : [];
  const matches = byIndex.length > 0 ? byIndex : trials.filter((t) => t.key.startsWith(selector));
  if (matches.length === 1) return matches[0];
  if (matches.length === 0) throw new UsageError(`--trial: no trial "${selector}" in the store (indices 0–${trials.length - 1})`);
  throw new UsageError(`--trial: "${selector}" matches ${matches.length} trials (of several sweeps?); give a key`);
}
