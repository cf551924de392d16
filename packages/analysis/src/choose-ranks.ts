/**
 * chooseRanks(): per-layer ranks that shrink a model most within an accuracy budget. Greedy on the spectra:
 * each layer has a ladder of ranks (the energy ranks at ε = 1e-4 … 0.3 that save weights); the step taken next
 * is the one saving most weights per unit of relative energy τ_r²/‖W‖_F² it drops, and it is kept only if the
 * real accuracy measured by `evaluate` (on data the caller holds out) stays within the budget; a layer whose
 * step fails is frozen at its last accepted rank.
 */
import { rankForEnergy } from '@rank-collapse/metrics';

export interface RankLayer {
  readonly name: string;
  /** W is rows×cols. */
  readonly rows: number;
  readonly cols: number;
  /** σ of W, descending. */
  readonly sigma: Float64Array;
}

/** Rank per layer; null keeps the layer dense. */
export type RankAssignment = ReadonlyMap<string, number | null>;

export interface ChooseRanksOptions {
  readonly layers: readonly RankLayer[];
  /** Accuracy of the model with these ranks (the caller builds and runs it). */
  readonly evaluate: (ranks: RankAssignment) => Promise<number>;
  /** Largest accuracy drop allowed, as a share (0.005 = half a percentage point). */
  readonly maxAccuracyDrop: number;
  /** Energies ε of the ladder. Default [1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3]. */
  readonly energies?: readonly number[];
  readonly onStep?: (step: { layer: string; rank: number; accuracy: number; accepted: boolean }) => void;
}

export interface ChosenRanks {
  readonly ranks: RankAssignment;
  /** Accuracy of the dense model and of the chosen one, as `evaluate` measured them. */
  readonly baseline: number;
  readonly accuracy: number;
  /** Models evaluated (the dense one included). */
  readonly evaluations: number;
  /** The accepted steps in order (to undo the last ones when a check on more data fails). */
  readonly history: readonly { layer: string; from: number | null; to: number }[];
}

/** The weights a layer holds at rank r (null: dense m·n). */
export const weightsAtRank = (layer: Pick<RankLayer, 'rows' | 'cols'>, rank: number | null): number =>
  rank === null ? layer.rows * layer.cols : rank * (layer.rows + layer.cols);

/** τ_r²/‖W‖_F²: the share of the energy a rank-r truncation drops. */
export function droppedEnergy(sigma: Float64Array, rank: number | null): number {
  if (rank === null) return 0;
  let total = 0;
  let tail = 0;
  for (let j = 0; j < sigma.length; j++) {
    total += sigma[j] * sigma[j];
    if (j >= rank) tail += sigma[j] * sigma[j];
  }
  return total === 0 ? 0 : tail / total;
}

/**
 * Chooses the ranks (see the module comment).
 * @throws RangeError when the budget is negative or not finite.
 */
export async function chooseRanks(options: ChooseRanksOptions): Promise<ChosenRanks> {
  const { layers, maxAccuracyDrop } = options;
  if (!(maxAccuracyDrop >= 0 && Number.isFinite(maxAccuracyDrop))) throw new RangeError(`chooseRanks: maxAccuracyDrop must be a finite share ≥ 0, got ${maxAccuracyDrop}`);
  const energies = options.energies ?? [1e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3];
  const ladders = new Map<string, number[]>();
  for (const layer of layers) {
    const ranks = [...new Set(energies.map((e) => Math.max(1, rankForEnergy(layer.sigma, e))))]
      .filter((r) => weightsAtRank(layer, r) < weightsAtRank(layer, null))
      .sort((a, b) => b - a);
    ladders.set(layer.name, ranks);
  }
  const current = new Map<string, number | null>(layers.map((l) => [l.name, null]));
  const frozen = new Set<string>();
  const baseline = await options.evaluate(current);
  let accuracy = baseline;
  let evaluations = 1;
  const history: { layer: string; from: number | null; to: number }[] = [];
  for (;;) {
    let best: { layer: RankLayer; rank: number; score: number } | null = null;
    for (const layer of layers) {
      if (frozen.has(layer.name)) continue;
      const now = current.get(layer.name) ?? null;
      const next = ladders.get(layer.name)!.find((r) => now === null || r < now);
      if (next === undefined) continue;
      const saved = weightsAtRank(layer, now) - weightsAtRank(layer, next);
      const lost = droppedEnergy(layer.sigma, next) - droppedEnergy(layer.sigma, now);
      const score = saved / (lost + 1e-9);
      if (!best || score > best.score) best = { layer, rank: next, score };
    }
    if (!best) break;
    const trial = new Map(current).set(best.layer.name, best.rank);
    const measured = await options.evaluate(trial);
    evaluations++;
    const accepted = baseline - measured <= maxAccuracyDrop;
    options.onStep?.({ layer: best.layer.name, rank: best.rank, accuracy: measured, accepted });
    if (accepted) {
      history.push({ layer: best.layer.name, from: current.get(best.layer.name) ?? null, to: best.rank });
      current.set(best.layer.name, best.rank);
      accuracy = measured;
    } else frozen.add(best.layer.name);
  }
  return { ranks: current, baseline, accuracy, evaluations, history };
}
