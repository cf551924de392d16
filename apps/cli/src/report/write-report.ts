import { buildReport, loadReportData, type BuiltReport, type ReportCompression, type ReportData } from '@rank-collapse/report';

const COMPRESSED_ACCURACY = /^compressedAccuracy\[rank=(\d+|K)\]$/;

/**
 * The compression results the trial function keeps in the rows of its final analysis
 * (`compressedAccuracy[rank=r]`, `compressedParams[rank=r]`, `compressedRank[rank=r]`), in the report's form.
 * Energy-based truncations give each layer its own rank, so only fixed-rank ones are listed.
 */
export function compressionOf(layers: ReadonlyArray<Record<string, unknown>>): ReportCompression[] {
  if (layers.length === 0) return [];
  const last = Math.max(...layers.map((row) => Number(row.epoch)));
  const row = layers.find((r) => Number(r.epoch) === last)!;
  const out: ReportCompression[] = [];
  for (const [field, value] of Object.entries(row)) {
    const match = COMPRESSED_ACCURACY.exec(field);
    if (!match || typeof value !== 'number') continue;
    const label = `rank=${match[1]}`;
    const rank = layers.filter((r) => Number(r.epoch) === last).map((r) => r[`compressedRank[${label}]`]).find((r): r is number => typeof r === 'number');
    if (rank === undefined) continue;
    const paramsAfter = row[`compressedParams[${label}]`];
    out.push({ rank: match[1] === 'K' ? rank : Number(match[1]), accuracy: value, split: 'test', ...(typeof paramsAfter === 'number' && { paramsAfter }) });
  }
  return out.sort((a, b) => a.rank - b.rank);
}

/**
 * Builds the HTML report of a sweep store into `outDir`: the report package's data, plus the compression
 * results this command stores in layer rows.
 * @throws Error when the store cannot be read or the report cannot be written (the store is unaffected).
 */
export async function writeReport(storePath: string, outDir: string, options: { sweep?: string } = {}): Promise<BuiltReport> {
  const data: ReportData = loadReportData(storePath, options.sweep === undefined ? {} : { sweep: options.sweep });
  for (const trial of data.trials) {
    if (trial.compression.length === 0) trial.compression = compressionOf(trial.layers as unknown as Array<Record<string, unknown>>);
  }
  return buildReport({ data, outDir });
}
