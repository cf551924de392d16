/** The conformance suite every backend runs: forward ops, shape errors, the contract, gradients, a train step. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../backend.js';
import { GraphError } from '../../errors.js';
import { createReferenceBackend } from '../reference/reference-backend.js';
import { checkForwardCase } from './check-forward-case.js';
import { describeContractConformance } from './describe-contract-conformance.js';
import { forwardCases } from './forward-cases.js';
import { checkGradientCase, gradientCases } from './gradients.js';
import { shapeErrorCases } from './shape-error-cases.js';
import { describeTrainStepConformance } from './train-step.js';
import type { Tolerance } from './types.js';

export interface ConformanceOptions {
  /**
   * Tolerance of forward outputs vs the float64 reference, for cases that set none.
   * Default DEFAULT_FORWARD_TOLERANCE (atol 1e-5, rtol 1e-4, for float32 backends).
   */
  readonly tolerance?: Tolerance;
  /**
   * Cases to skip (registered as skipped, so they show in the report), by test name: forward cases by their
   * name (`"Conv: group 2"`), others as `"shape error: …"`, `"contract: …"`, `"gradient: …"` and `"train step"`.
   * Default: none.
   */
  readonly skip?: (caseName: string) => boolean;
}

/**
 * Registers the conformance suite as vitest describe/it blocks (call it at the top level of a test file):
 * (a) every forward case against the float64 reference backend, (b) shape errors from the builder,
 * (c) feeds, fetches and resident tensors, (d) autodiff gradients against the reference (and the reference
 * against finite differences), (e) a five-step MLP train step. `createBackend` runs once per suite (and once
 * for the train step); backends are closed afterwards. Requires vitest (optional peer dependency).
 */
export function describeBackendConformance(label: string, createBackend: () => Backend | Promise<Backend>, options: ConformanceOptions = {}): void {
  const skip = options.skip ?? (() => false);
  const test = (name: string, body: () => Promise<void> | void) => (skip(name) ? it.skip : it)(name, body);

  describe(`${label}: backend conformance`, () => {
    const oracle = createReferenceBackend();
    let backend: Backend | undefined;
    const current = (): Backend => {
      if (!backend) throw new Error(`${label}: the backend was not created (see the beforeAll error)`);
      return backend;
    };
    beforeAll(async () => {
      backend = await createBackend();
    });
    afterAll(async () => {
      await backend?.close?.();
      await oracle.close?.();
    });

    describe('forward ops vs the float64 reference', () => {
      for (const c of forwardCases()) test(c.name, () => checkForwardCase(current(), oracle, c, options.tolerance));
    });

    describe('shape errors name the op, node and shapes', () => {
      for (const c of shapeErrorCases()) {
        test(`shape error: ${c.name}`, () => {
          expect(c.build).toThrow(GraphError);
          expect(c.build).toThrow(c.message);
        });
      }
    });

    describe('feeds, fetches and resident tensors', () => describeContractConformance(current, skip));

    describe('gradients (autodiff) vs the reference and finite differences', () => {
      for (const c of gradientCases()) test(`gradient: ${c.name}`, () => checkGradientCase(current(), oracle, c));
    });
  });

  if (!skip('train step')) describeTrainStepConformance(label, createBackend);
}
