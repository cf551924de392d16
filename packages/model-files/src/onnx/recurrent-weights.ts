/**
 * LSTM, GRU and RNN weights: W (num_directions × gates·H × input) and R (num_directions × gates·H × H) split into
 * one matrix per direction and gate, in the ONNX gate orders (LSTM i, o, f, c; GRU z, r, h; RNN one gate).
 */
import type { ScopedNode } from './graph-scope.js';
import { intAttribute, stringAttribute } from './node-attributes.js';
import { matrixOf, runtimeWeight, type MatrixSpec, type NodeWeights, type OperandReader } from './weight-operand.js';

/**
 * A reader for a recurrent op with these gates. Matrices are named `<node>.W.<gate>` and `<node>.R.<gate>`
 * (`<node>.reverse.W.<gate>` for the backward direction; no gate suffix for RNN).
 */
export function recurrentWeights(gates: readonly string[]) {
  return (reader: OperandReader, node: ScopedNode): NodeWeights => {
    const direction = stringAttribute(node.proto, 'direction', 'forward');
    if (!['forward', 'reverse', 'bidirectional'].includes(direction)) reader.fail(node, `direction "${direction}" is not forward, reverse or bidirectional`);
    const directions = direction === 'bidirectional' ? ['', '.reverse'] : direction === 'reverse' ? ['.reverse'] : [''];
    const G = gates.length;
    const matrices: MatrixSpec[] = [];
    const skipped: NodeWeights['skipped'] = [];
    let hidden = intAttribute(node.proto, 'hidden_size', 0);
    for (const [index, kind] of [[1, 'W'], [2, 'R']] as const) {
      const status = reader.operand(node, index);
      if (status.kind !== 'constant') {
        if (status.kind !== 'absent') skipped.push(...runtimeWeight(node, `${kind} (${kind === 'W' ? 'input' : 'recurrence'} weights)`, status).skipped);
        continue;
      }
      const w = status.operand;
      const shape = w.value.shape;
      const expected = `[${directions.length}, ${G}·hidden_size, ${kind === 'W' ? 'input_size' : 'hidden_size'}]`;
      if (shape.length !== 3 || shape[0] !== directions.length || shape[1] % G !== 0) reader.fail(node, `${kind} "${w.name}" has shape [${shape}], expected ${expected} for direction ${direction}`);
      const H = shape[1] / G;
      if (hidden === 0) hidden = H;
      if (H !== hidden || (kind === 'R' && shape[2] !== hidden)) reader.fail(node, `${kind} "${w.name}" has shape [${shape}], expected ${expected} with hidden_size ${hidden}`);
      const cols = shape[2];
      directions.forEach((infix, d) =>
        gates.forEach((gate, g) => {
          const start = (d * G + g) * H * cols;
          matrices.push(
            matrixOf(node, w, {
              name: `${node.label}${infix}.${kind}${gate ? `.${gate}` : ''}`,
              role: kind === 'W' ? 'recurrent-input' : 'recurrent-hidden',
              rows: H,
              cols,
              note: `${node.opType} ${kind} [${shape}]: ${infix ? 'reverse' : 'forward'} direction${gate ? `, gate ${gate} (rows ${g * H}–${(g + 1) * H - 1})` : ''}`,
              data: (v) => v.slice(start, start + H * cols),
            }),
          );
        }),
      );
    }
    return { matrices, skipped };
  };
}
