/** The accuracy a trained network keeps when its layers are truncated to low rank. */

/** How the layers were truncated: every layer to rank r, or each to keep 1 − ε of its energy ‖W‖_F². */
export type CompressionChoice = { rank: number } | { energy: number };

/** One layer of a {@link CompressionResult}. */
export interface CompressedLayerRecord {
  /** Layer name, as in {@link LayerRow}. */
  layer: string;
  /** 0-based position among analyzable layers, as in {@link LayerRow}. */
  index: number;
  /** Rank the layer was truncated to; null when it was kept as it was (r·(m + n) ≥ m·n, or not selected). */
  rank: number | null;
  /** ‖W − W_r‖_F/‖W‖_F (0 when kept). */
  relativeError: number;
}

/** Fields of a {@link CompressionResult}, in export order. */
export const COMPRESSION_RESULT_FIELDS = ['epoch', 'label', 'choice', 'split', 'accuracy', 'baselineAccuracy', 'paramsBefore', 'paramsAfter', 'layers'] as const;

/** One truncation of a trial's network after training, with the accuracy it kept. */
export interface CompressionResult {
  /** Epoch of the network that was truncated (the last one). */
  epoch: number;
  /** The choice as a sweep file writes it: `rank=K`, `rank=20`, `energy=0.01` (unique per trial and epoch). */
  label: string;
  /** The choice with `K` resolved to the number of classes. */
  choice: CompressionChoice;
  /** Which data the accuracies were measured on. */
  split: 'train' | 'test';
  /** Accuracy in [0, 1] of the truncated network. */
  accuracy: number;
  /** Accuracy in [0, 1] of the network before truncation, on the same data; null when not measured. */
  baselineAccuracy: number | null;
  /** Parameter counts before and after factorization; null when not known. */
  paramsBefore: number | null;
  paramsAfter: number | null;
  /** Every truncated layer, by index. */
  layers: CompressedLayerRecord[];
}

/** The label of a choice (`rank=K` keeps `K` as written). */
export const compressionLabel = (choice: { rank: number | 'K' } | { energy: number }): string =>
  'rank' in choice ? `rank=${choice.rank}` : `energy=${choice.energy}`;
