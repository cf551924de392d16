import { lastMeasured } from '../figures/accuracy-figure.js';
import { formatLambda } from '../figures/lambda-scale.js';
import type { ReportData } from '../report-data.js';
import { formatDuration, formatPercent } from './format-number.js';
import { htmlTable, type Cell } from './html-table.js';

/** One row per trial: identity, config, status, progress and final accuracies. */
export function trialTable(data: ReportData): string {
  const rows = data.trials.map((trial): Cell[] => {
    const last = trial.epochs.at(-1);
    const train = lastMeasured(trial.epochs, 'trainAccuracy');
    const test = lastMeasured(trial.epochs, 'testAccuracy');
    const planned = trial.config.epochs;
    return [
      { text: trial.label, title: trial.key },
      { text: formatLambda(trial.config.weightDecay), className: 'num' },
      { text: String(trial.config.seed), className: 'num' },
      { text: trial.config.model },
      { text: trial.config.dataset },
      { text: trial.status, className: `status status-${trial.status}` },
      { text: `${last?.epoch ?? 0}${planned === null ? '' : ` / ${planned}`}`, className: 'num' },
      { text: formatPercent(train?.trainAccuracy), className: 'num' },
      { text: formatPercent(test?.testAccuracy), className: 'num' },
      { text: formatDuration(trial.durationMs), className: 'num' },
      { text: trial.error ?? '' },
    ];
  });
  return htmlTable(['trial', 'λ', 'seed', 'model', 'dataset', 'status', 'epochs', 'train acc.', 'test acc.', 'time', 'error'], rows);
}
