/**
 * The output width of an ONNX classifier: rows of the last dense layer whose output reaches a graph output
 * through elementwise, Softmax, Reshape or Flatten ops (a bias Add, an activation, a final Softmax).
 */
import type { ConstantFolder } from './constant-folder.js';
import type { GraphScope, ScopedNode } from './graph-scope.js';
import type { MatrixSpec } from './weight-operand.js';

const PASS_THROUGH = new Set([
  'Add', 'Sub', 'Mul', 'Div', 'Relu', 'LeakyRelu', 'PRelu', 'Elu', 'Selu', 'Celu', 'Gelu', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh',
  'Softplus', 'Softsign', 'Clip', 'Erf', 'Exp', 'Log', 'Neg', 'Abs', 'Sqrt', 'Softmax', 'LogSoftmax', 'Reshape', 'Flatten',
  'Squeeze', 'Unsqueeze', 'Identity', 'Dropout', 'Cast', 'QuantizeLinear', 'DequantizeLinear',
]);

/** Longest pass-through chain followed back from an output. */
const MAX_STEPS = 1000;

/**
 * @param matrices the matrices each node yielded
 * @returns the rows of the dense matrix found from the first graph output that leads to one, else null
 */
export function outputWidth(root: GraphScope, matrices: ReadonlyMap<ScopedNode, readonly MatrixSpec[]>, folder: ConstantFolder): number | null {
  for (const output of root.graph.output ?? []) {
    let name = output.name ?? '';
    for (let step = 0; step < MAX_STEPS && name; step++) {
      const r = root.resolve(name);
      if (r.kind !== 'node') break;
      const dense = (matrices.get(r.node) ?? []).filter((m) => m.role === 'dense');
      if (dense.length > 0) return dense[dense.length - 1].rows;
      if (!PASS_THROUGH.has(r.node.opType)) break;
      // Follow the activation, not the bias or scale.
      name = (r.node.proto.input ?? []).find((i) => i && folder.status(i, r.node.scope).kind === 'runtime') ?? '';
    }
  }
  return null;
}
