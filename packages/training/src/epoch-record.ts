/** One row per completed epoch. */
export interface EpochRecord {
  /** Epochs completed, 1-based. */
  readonly epoch: number;
  /** Global SGD steps completed by the end of this epoch. */
  readonly steps: number;
  /** Mean data loss (1/n)Σℓ_i over this epoch's training batches, measured during the epoch (params changing). */
  readonly trainLoss: number;
  /** Share of this epoch's training samples classified correctly at the step that saw them. */
  readonly trainAccuracy: number;
  /** Mean loss over the whole test set with the end-of-epoch params. */
  readonly testLoss: number;
  /** Test accuracy with the end-of-epoch params (inference mode). */
  readonly testAccuracy: number;
  /** Frobenius norm ‖P‖_F of every trainable param at the end of the epoch. */
  readonly weightNorms: Readonly<Record<string, number>>;
  /** (λ/2)Σ‖P‖² over the decayed params: J = trainLoss + penalty up to the in-epoch drift. */
  readonly penalty: number;
  /** Learning rate of the epoch's last step. */
  readonly lr: number;
  /** Wall-clock seconds of the epoch (training and evaluation). */
  readonly seconds: number;
}
