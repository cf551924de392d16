import { buildReport, loadReportData, type BuiltReport } from '@rank-collapse/report';

/**
 * Builds the HTML report of a sweep store into `outDir` (compression results included: the store keeps them
 * in a table of their own).
 * @throws Error when the store cannot be read or the report cannot be written (the store is unaffected).
 */
export async function writeReport(storePath: string, outDir: string, options: { sweep?: string } = {}): Promise<BuiltReport> {
  return buildReport({ data: loadReportData(storePath, options.sweep === undefined ? {} : { sweep: options.sweep }), outDir });
}
