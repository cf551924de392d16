import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../cli-error.js';
import { resolvePath } from '../cli-io.js';
import { writeJson, type CommandContext } from './command-context.js';

/** `rank-collapse report <sweep.sqlite>`: (re)writes the HTML report of a sweep store. */
export function registerReportCommand(program: Command, context: CommandContext): void {
  program
    .command('report')
    .description('write the HTML report (figures and tables) of a sweep store')
    .argument('<store>', 'a sweep.sqlite written by `rank-collapse sweep`')
    .option('--out <dir>', 'output folder (default: report/ beside the store)')
    .option('--json', 'print JSON: { report }')
    .addHelpText('after', '\nExample:\n  rank-collapse report runs/demo/sweep.sqlite --out /tmp/demo-report')
    .action(async (store: string, flags: { out?: string; json?: boolean }) => {
      const { io } = context;
      const storePath = resolvePath(io, store);
      if (!existsSync(storePath)) throw new UsageError(`store not found: ${store}`);
      const outDir = flags.out ? resolvePath(io, flags.out) : join(dirname(storePath), 'report');
      // Loaded here: the report brings in vega, which `report --help` does not need.
      const { writeReport } = await import('../report/write-report.js');
      const report = await writeReport(storePath, outDir);
      const note = report.certificateViolations > 0 ? ` (warning: ${report.certificateViolations} layer row(s) violate the certificate)` : '';
      if (flags.json) writeJson(io, { report: report.html, figures: report.figures.length, partial: report.partial, certificateViolations: report.certificateViolations });
      else io.stdout(`report: ${report.html}${report.partial ? ' (partial: some trials are still queued or running)' : ''}${note}\n`);
    });
}
