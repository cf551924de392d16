import type { LayerRow } from '@rank-collapse/analysis';
import type { Column } from './render-table.js';

const ratio = (a: number | null | undefined, b: number | null | undefined): number | null =>
  a === null || a === undefined || !b ? null : a / b;

/**
 * The columns of an analysis printed on a terminal (the JSON output has every field): shape, ranks, the
 * relative spectral tail τ_K/‖W‖_F, the energy off the class-mean span ‖W P⊥‖_F/‖W‖_F, the scale-free TCV
 * and NC1 of the layer input, and the certificate norms ‖E‖_F, ‖R‖_F.
 */
export const LAYER_COLUMNS: readonly Column<LayerRow>[] = [
  { header: 'layer', value: (r) => r.layer },
  { header: 'shape', value: (r) => `${r.rows}×${r.cols}` },
  { header: 'rank', value: (r) => r.numericalRank },
  { header: 'energy rank', value: (r) => r.energyRank },
  { header: 'stable rank', value: (r) => r.stableRank },
  { header: 'τK/‖W‖', value: (r) => r.relativeTailK },
  { header: '‖WP⊥‖/‖W‖', value: (r) => ratio(r.offSpanW, r.frobeniusNorm) },
  { header: 'input TCV*', value: (r) => r.inputScaleFreeTcv },
  { header: 'input NC1', value: (r) => r.inputNc1 },
  { header: '‖E‖', value: (r) => r.normE },
  { header: '‖R‖', value: (r) => r.normR },
];
