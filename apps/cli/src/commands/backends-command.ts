import type { Command } from 'commander';
import { probeBackends } from '../backends/probe-backends.js';
import { renderTable } from '../format/render-table.js';
import { EXIT_CODES } from '../exit-codes.js';
import { writeJson, type CommandContext } from './command-context.js';

/** `rank-collapse backends`: starts every backend, runs a small graph on it, and says what works here and why not. */
export function registerBackendsCommand(program: Command, context: CommandContext): void {
  program
    .command('backends')
    .description('list the backends that can run here (each is started and runs a small graph), and why the others cannot')
    .option('--json', 'print JSON: [{ backend, available, device?, reason?, importer, exporter, ms }]')
    .addHelpText('after', '\nExit code 4 when no backend can run.\n\nExample:\n  rank-collapse backends --json')
    .action(async (options: { json?: boolean }) => {
      const probes = await probeBackends();
      if (options.json) writeJson(context.io, probes);
      else {
        context.io.stdout(
          `${renderTable(
            [
              { header: 'backend', value: (p) => p.backend },
              { header: 'available', value: (p) => (p.available ? 'yes' : 'no') },
              { header: 'import/export', value: (p) => (p.available ? `${p.importer ? 'import' : '-'}/${p.exporter ? 'export' : '-'}` : '') },
              { header: 'device or reason', value: (p) => (p.available ? p.device : p.reason) },
            ],
            probes,
          )}\n\`--backend auto\` tries onnx, then tfjs.\n`,
        );
      }
      if (!probes.some((p) => p.available)) context.setExitCode(EXIT_CODES.backendUnavailable);
    });
}
