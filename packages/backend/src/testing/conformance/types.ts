/** Shapes of the conformance cases shared by the forward, gradient and train-step parts of the suite. */
import type { Graph, HostTensor } from '../../ir/types.js';

/** Absolute and relative tolerance: |a − b| ≤ atol + rtol·|b| elementwise (b is the oracle's value). */
export interface Tolerance {
  readonly atol: number;
  readonly rtol: number;
}

/** A graph run on the backend under test and on the float64 oracle; all outputs compared. */
export interface ForwardCase {
  readonly name: string;
  readonly graph: Graph;
  /** Feeds for every input and param. */
  readonly feeds: Readonly<Record<string, HostTensor>>;
  readonly tolerance?: Tolerance;
}

/**
 * A scalar-output graph whose gradients w.r.t. `wrt` (inputs or params) are built by autodiff and checked:
 * on the oracle against central finite differences, on the backend under test against the oracle.
 */
export interface GradientCase {
  readonly name: string;
  /** Graph with one scalar float32 output named by `loss`. */
  readonly graph: Graph;
  readonly loss: string;
  readonly wrt: readonly string[];
  readonly feeds: Readonly<Record<string, HostTensor>>;
  readonly tolerance?: Tolerance;
}

/** A graph that must fail to build: `build` throws a GraphError whose message matches `message`. */
export interface ShapeErrorCase {
  readonly name: string;
  readonly build: () => unknown;
  readonly message: RegExp;
}
