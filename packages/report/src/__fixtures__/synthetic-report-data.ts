/**
 * Deterministic, made-up report data shaped like a small λ sweep (3 dense layers, K = 10, widths 64): ranks
 * and tails fall with λ, the certificate chain is ordered, spectra decay after K. For tests of figures and
 * HTML only; the numbers mean nothing.
 */
import type { TrialStatus } from '@rank-collapse/rows';
import type { ReportData, ReportLayerRow, ReportTrial } from '../report-data.js';

export interface SyntheticOptions {
  lambdas?: number[];
  seeds?: number[];
  epochs?: number;
  /** Statuses by trial position (default all done). */
  statuses?: TrialStatus[];
  /** Label override by trial position. */
  labels?: string[];
}

const K = 10;
const WIDTH = 64;
const LAYERS = ['dense0', 'dense1', 'dense2'];

function layerRow(layer: number, lambda: number, seed: number, epoch: number): ReportLayerRow {
  const rows = layer === 2 ? K : WIDTH;
  const cols = layer === 0 ? 784 : WIDTH;
  const full = Math.min(rows, cols);
  const decay = Math.exp(-lambda * 400 * (layer + 1));
  const numericalRank = Math.max(Math.min(K, full), Math.round(K + (full - K) * decay));
  const frobeniusNorm = 4 + layer + seed * 0.1;
  const tailK = layer === 2 ? 0 : frobeniusNorm * 0.5 * decay + 1e-3;
  const hasCertificate = lambda > 0;
  const boundER = hasCertificate ? tailK * 4 : null;
  const certificate = {
    normA: hasCertificate ? frobeniusNorm : null,
    normE: hasCertificate ? tailK * 3 : null,
    normR: hasCertificate ? tailK : null,
    reconstructionError: hasCertificate ? 1e-15 : null,
    boundER,
    slack: hasCertificate && boundER ? tailK / boundER : null,
    tcvBound: hasCertificate ? (tailK * 50) / lambda : null,
    tcvBoundFull: hasCertificate ? (tailK * 50) / lambda + tailK : null,
    spanRank: K,
    offSpanW: tailK * 1.4,
    offSpanE: hasCertificate ? tailK * 1.5 : null,
    offSpanR: hasCertificate ? tailK * 0.5 : null,
    dualTcvBound: null,
    dualTcvBoundFull: null,
    dualSpanRank: K,
    dualOffSpanW: tailK * 1.2,
    dualOffSpanE: null,
    dualOffSpanR: null,
    relativeNormR: hasCertificate ? tailK / frobeniusNorm : null,
    gradientNorm: hasCertificate ? lambda * tailK : null,
    // The per-sample terms are left out (null), as in rows of analyses before them.
    sampleBound: null,
    centeredSampleBound: null,
    dualSampleBound: null,
    sampleBoundFull: null,
    offSpanSampleBound: null,
    offSpanCenteredSampleBound: null,
    offSpanSampleBoundFull: null,
    dualOffSpanSampleBound: null,
    dualOffSpanSampleBoundFull: null,
  };
  const collapse = (scale: number) => ({
    Tcv: scale * 100,
    ScaleFreeTcv: scale * (0.8 - 0.2 * layer) * (0.3 + decay),
    Nc1: scale * (2 - 0.5 * layer) * (0.2 + decay),
    TraceRatio: scale,
    Cdnv: scale * 0.1,
    BetweenEffectiveRank: K - 1,
    Nc2Equinorm: 0.1,
    Nc2Equiangularity: 0.05,
    MaxNorm: 3,
  });
  const input = Object.fromEntries(Object.entries(collapse(1)).map(([k, v]) => [`input${k}`, v]));
  const delta = Object.fromEntries(Object.entries(collapse(0.5)).map(([k, v]) => [`delta${k}`, v]));
  return {
    epoch,
    layer: LAYERS[layer],
    index: layer,
    kind: 'dense',
    rows,
    cols,
    K,
    frobeniusNorm,
    spectralNorm: frobeniusNorm * 0.6,
    tailK,
    relativeTailK: tailK / frobeniusNorm,
    numericalRank,
    normalizedRank: numericalRank,
    energyRank: Math.max(1, numericalRank - 2),
    stableRank: 2 + 5 * decay,
    effectiveRank: K + (full - K) * decay * 0.5,
    ...input,
    ...delta,
    ...certificate,
    nc3: layer === 2 ? 0.2 : null,
    nc4: layer === 2 ? 0.01 : null,
  } as ReportLayerRow;
}

function spectrum(layer: number, lambda: number): number[] {
  const full = layer === 2 ? K : WIDTH;
  const decay = Math.exp(-lambda * 400 * (layer + 1));
  return Array.from({ length: full }, (_, j) => (j < K ? 3 - 0.2 * j : (1.2 * decay + 1e-4) * Math.exp(-(j - K) / 20)));
}

/** A sweep over `lambdas` × `seeds` with `epochs` epochs and an analysis at the last one. */
export function syntheticReportData(options: SyntheticOptions = {}): ReportData {
  const { lambdas = [0, 1e-4, 1e-3, 1e-2], seeds = [0, 1], epochs = 5 } = options;
  const trials: ReportTrial[] = [];
  for (const lambda of lambdas) {
    for (const seed of seeds) {
      const position = trials.length;
      const status = options.statuses?.[position] ?? 'done';
      const done = status === 'done' || status === 'running';
      const epochRows = done
        ? Array.from({ length: status === 'running' ? 2 : epochs }, (_, i) => ({
            epoch: i + 1,
            trainLoss: 2 * Math.exp(-(i + 1) / 2) + lambda * 10,
            trainAccuracy: Math.min(1, 0.7 + 0.06 * (i + 1)) - lambda * 5,
            testLoss: 2 * Math.exp(-(i + 1) / 2) + 0.1,
            testAccuracy: Math.min(0.98, 0.68 + 0.06 * (i + 1)) - lambda * 5,
          }))
        : [];
      const checkpoint = epochRows.at(-1)?.epoch;
      trials.push({
        key: `trial${String(position).padStart(2, '0')}`,
        label: options.labels?.[position] ?? `λ=${lambda} · seed ${seed}`,
        group: 'mlp 64-64',
        status,
        config: { weightDecay: lambda, seed, model: 'mlp 64-64', dataset: 'mnist', epochs, raw: { training: { weightDecay: lambda }, seed } },
        axes: { weightDecay: lambda, seed },
        error: null,
        durationMs: done ? 12_345 : null,
        epochs: epochRows,
        layers: checkpoint === undefined ? [] : LAYERS.map((_, l) => layerRow(l, lambda, seed, checkpoint)),
        spectra: checkpoint === undefined ? [] : LAYERS.map((_, l) => ({ epoch: checkpoint, layerIndex: l, singularValues: spectrum(l, lambda) })),
        compression:
          status === 'done' ? [5, 10, 20, 40, 64].map((rank) => ({ rank, accuracy: rank >= K ? 0.97 - lambda : 0.5 + 0.04 * rank, split: 'test' as const })) : [],
      });
    }
  }
  return { sweeps: [{ name: 'synthetic', file: null }], source: null, generatedAt: '2025-01-01T00:00:00.000Z', trials };
}
