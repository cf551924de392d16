/**
 * Why a stored tensor is not a weight matrix, told by what consumes it: a bias, a normalization scale, a
 * quantization scale, a shape operand, an elementwise operand. Constants passed through folded layout ops
 * (a bias reshaped before an Add) are followed to their final consumer.
 */
import { isDefaultDomain, type ConstantSource, type GraphScope, type ScopedNode } from './graph-scope.js';

interface Consumer {
  readonly node: ScopedNode;
  readonly index: number;
}

const BIAS: Record<string, number> = { Gemm: 2, Conv: 2, ConvTranspose: 2, LSTM: 3, GRU: 3, RNN: 3, QLinearConv: 8 };
const RECURRENT_STATE: Record<number, string> = { 4: 'sequence lengths', 5: 'initial hidden state', 6: 'initial cell state', 7: 'peephole weights (a vector per gate)' };
const NORMALIZATION: Record<string, Record<number, string>> = {
  BatchNormalization: { 1: 'normalization scale', 2: 'normalization offset', 3: 'running mean', 4: 'running variance' },
  LayerNormalization: { 1: 'normalization scale', 2: 'normalization offset' },
  InstanceNormalization: { 1: 'normalization scale', 2: 'normalization offset' },
  GroupNormalization: { 1: 'normalization scale', 2: 'normalization offset' },
  RMSNormalization: { 1: 'normalization scale' },
  SimplifiedLayerNormalization: { 1: 'normalization scale' },
  SkipLayerNormalization: { 2: 'normalization scale', 3: 'normalization offset', 4: 'bias' },
};
const QUANTIZATION: Record<string, Record<number, string>> = {
  DequantizeLinear: { 1: 'quantization scale', 2: 'quantization zero point' },
  QuantizeLinear: { 1: 'quantization scale', 2: 'quantization zero point' },
  QLinearMatMul: { 1: 'quantization scale of A', 2: 'zero point of A', 4: 'quantization scale of B', 5: 'zero point of B', 6: 'output quantization scale', 7: 'output zero point' },
  QLinearConv: { 1: 'input quantization scale', 2: 'input zero point', 4: 'weight quantization scale', 5: 'weight zero point', 6: 'output quantization scale', 7: 'output zero point' },
  MatMulInteger: { 2: 'zero point of A', 3: 'zero point of B' },
  ConvInteger: { 2: 'input zero point', 3: 'weight zero point' },
};
const SHAPE_OPERANDS: Record<string, string> = {
  Reshape: 'target shape',
  Expand: 'target shape',
  Tile: 'repeats',
  Slice: 'slice bounds',
  Squeeze: 'axes',
  Unsqueeze: 'axes',
  Pad: 'pads',
  Resize: 'scales or sizes',
  Upsample: 'scales',
  Split: 'split sizes',
  TopK: 'k',
  OneHot: 'depth or values',
  ConstantOfShape: 'shape',
  Range: 'range bounds',
  ReduceSum: 'axes',
  ReduceMean: 'axes',
  ReduceMax: 'axes',
  ReduceMin: 'axes',
  ReduceProd: 'axes',
  ReduceL2: 'axes',
  CumSum: 'axis',
};
const ELEMENTWISE = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Max', 'Min', 'Sum', 'Mean', 'Where', 'Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor', 'Mod', 'BitShift']);
/** Folded layout ops whose first input is data (followed to the final consumer). */
const PASS_THROUGH = new Set(['Identity', 'Cast', 'Transpose', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Slice', 'Concat', 'DequantizeLinear', 'QuantizeLinear']);

/** Who consumes each value of a scope tree, keyed by the scope that defines it. */
export class ConsumerIndex {
  private readonly byScope = new Map<GraphScope, Map<string, Consumer[]>>();

  constructor(root: GraphScope) {
    const visit = (scope: GraphScope) => {
      for (const node of scope.nodes) {
        (node.proto.input ?? []).forEach((name, index) => {
          if (!name) return;
          const r = scope.resolve(name);
          if (!r.scope) return;
          if (!this.byScope.has(r.scope)) this.byScope.set(r.scope, new Map());
          const map = this.byScope.get(r.scope)!;
          if (!map.has(name)) map.set(name, []);
          map.get(name)!.push({ node, index });
        });
        // Subgraphs may use the value by name without listing it as a node input.
        node.subgraphs.forEach(visit);
      }
    };
    visit(root);
  }

  consumers(scope: GraphScope, name: string): readonly Consumer[] {
    return this.byScope.get(scope)?.get(name) ?? [];
  }

  /** The reason a constant is not analyzed. */
  reason(scope: GraphScope, source: ConstantSource): string {
    return this.reasonOf(scope, source.name, 0) ?? 'not used by any node';
  }

  private reasonOf(scope: GraphScope, name: string, depth: number): string | undefined {
    const consumers = this.consumers(scope, name);
    if (consumers.length === 0) return undefined;
    const { node, index } = consumers[0];
    const op = node.opType;
    const where = `of ${op} node "${node.label}"`;
    if (!isDefaultDomain(node.domain) && !NORMALIZATION[op]) return `input ${index} of ${node.domain}.${op} node "${node.label}" (an op this reader does not read weights from)`;
    if (BIAS[op] === index) return `bias ${where}`;
    if (['LSTM', 'GRU', 'RNN'].includes(op) && RECURRENT_STATE[index]) return `${RECURRENT_STATE[index]} ${where}`;
    const special = NORMALIZATION[op]?.[index] ?? QUANTIZATION[op]?.[index];
    if (special) return `${special} ${where}`;
    if (SHAPE_OPERANDS[op] && index > 0) return `${SHAPE_OPERANDS[op]} operand ${where}`;
    if (op === 'Gather' && index === 1) return `indices ${where}`;
    if (op === 'PRelu' && index === 1) return `slope ${where}`;
    if (PASS_THROUGH.has(op) && (index === 0 || op === 'Concat') && depth < 16) {
      const output = node.proto.output?.[0];
      const further = output ? this.reasonOf(node.scope, output, depth + 1) : undefined;
      return further ?? `input ${index} ${where}, whose result is not used`;
    }
    if (ELEMENTWISE.has(op)) return `elementwise operand ${where} (a bias, scale or mask, not a matrix)`;
    return `input ${index} ${where} (not a weight matrix of it)`;
  }
}
