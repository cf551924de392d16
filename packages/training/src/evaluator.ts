import { float32, type Backend, type Executable, type Feed } from '@rank-collapse/backend';
import { batches, oneHot, type Dataset } from '@rank-collapse/datasets/core';
import { MODEL_INPUT, type Model } from '@rank-collapse/models';
import { buildEvalStep, EVAL_STEP } from './build-eval-step.js';
import type { LossKind } from './loss.js';

/** Loss and accuracy of a model over a whole dataset. */
export interface Evaluation {
  /** Mean loss (1/N)Σℓ_i. */
  readonly loss: number;
  /** Share of samples classified correctly (ties count wrong). */
  readonly accuracy: number;
  readonly correct: number;
  readonly size: number;
}

/** A compiled evaluation graph, reusable across epochs. */
export interface Evaluator {
  /** Evaluates every sample of `dataset` (in order, the last batch possibly smaller) with the given param feeds. */
  evaluate(dataset: Dataset, params: Readonly<Record<string, Feed>>, batchSize: number): Promise<Evaluation>;
  dispose(): void;
}

/** Compiles the evaluation graph of `model` on `backend`. @throws whatever `backend.compile` throws. */
export async function createEvaluator(backend: Backend, model: Model, loss: LossKind = 'cross-entropy'): Promise<Evaluator> {
  const executable: Executable = await backend.compile(buildEvalStep(model, loss));
  return {
    async evaluate(dataset, params, batchSize) {
      let lossSum = 0;
      let correct = 0;
      for (const batch of batches(dataset, { batchSize, shuffle: false })) {
        const out = await executable.run({
          ...params,
          [MODEL_INPUT]: float32([batch.size, ...model.sampleShape], batch.x),
          [EVAL_STEP.targets]: float32([batch.size, model.numClasses], oneHot(batch.y, model.numClasses)),
        });
        lossSum += Number((await backend.download(out[EVAL_STEP.lossSum])).data[0]);
        correct += Number((await backend.download(out[EVAL_STEP.correct])).data[0]);
      }
      return { loss: lossSum / dataset.size, accuracy: correct / dataset.size, correct, size: dataset.size };
    },
    dispose: () => executable.dispose(),
  };
}
