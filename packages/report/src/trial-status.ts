import type { TrialStatus } from '@rank-collapse/rows';
import type { ReportData } from './report-data.js';

/** Number of trials per status. */
export function statusCounts(data: ReportData): Record<TrialStatus, number> {
  const counts: Record<TrialStatus, number> = { queued: 0, running: 0, done: 0, failed: 0, diverged: 0 };
  for (const trial of data.trials) counts[trial.status] = (counts[trial.status] ?? 0) + 1;
  return counts;
}

/** True while some trial is still queued or running: the report shows partial results. */
export function isPartial(data: ReportData): boolean {
  const counts = statusCounts(data);
  return counts.queued + counts.running > 0;
}
