/**
 * Lowers one IR node to ONNX opset-17 nodes writing the IR node's output names. Most ops map one to one;
 * the differences are the opset-13+ inputs-instead-of-attributes (Clip, Pad, Slice, Squeeze/Unsqueeze,
 * ReduceSum axes), MatMul transposes, and training-mode batch norm (expanded, see expand-batch-norm.ts).
 */
import { UnsupportedError, type DType, type Node, type OpAttrs } from '@rank-collapse/backend';
import { ONNX_DTYPE } from '@rank-collapse/model-files/onnx';
import { floatAttr, intAttr, intsAttr, present, tensorAttr } from './attributes.js';
import { expandBatchNormTraining } from './expand-batch-norm.js';
import type { OnnxGraphWriter } from './onnx-graph-writer.js';

const DIRECT = new Set(['Add', 'Sub', 'Mul', 'Div', 'Neg', 'Exp', 'Log', 'Sqrt', 'Abs', 'Relu', 'Tanh', 'Sigmoid', 'Greater', 'Equal', 'Where', 'Identity', 'GlobalAveragePool']);
const CAST_TO: Record<DType, number> = { float32: ONNX_DTYPE.FLOAT, int64: ONNX_DTYPE.INT64, bool: ONNX_DTYPE.BOOL };

const bool = (name: string, v: boolean | undefined) => (v === undefined ? undefined : intAttr(name, v ? 1 : 0));
const ints = (name: string, v: readonly number[] | undefined) => (v === undefined ? undefined : intsAttr(name, v));

/** Appends the ONNX nodes computing `node` to `w`. @throws UnsupportedError for an op it cannot express. */
export function lowerNode(w: OnnxGraphWriter, node: Node): void {
  const { op, name, inputs, outputs } = node;
  const a = node.attrs as never;
  if (DIRECT.has(op)) {
    w.add(op, name, inputs, outputs);
    return;
  }
  switch (op) {
    case 'MatMul':
      return lowerMatMul(w, node as Node<'MatMul'>);
    case 'Gemm': {
      const g = a as OpAttrs['Gemm'];
      w.add('Gemm', name, inputs, outputs, present(g.alpha === undefined ? undefined : floatAttr('alpha', g.alpha), g.beta === undefined ? undefined : floatAttr('beta', g.beta), bool('transA', g.transA), bool('transB', g.transB)));
      return;
    }
    case 'LeakyRelu':
      w.add('LeakyRelu', name, inputs, outputs, [floatAttr('alpha', (a as OpAttrs['LeakyRelu']).alpha ?? 0.01)]);
      return;
    case 'Clip': {
      const c = a as OpAttrs['Clip'];
      const min = c.min === undefined ? '' : w.scalar(c.min);
      const max = c.max === undefined ? '' : w.scalar(c.max);
      w.add('Clip', name, max ? [inputs[0], min, max] : min ? [inputs[0], min] : [inputs[0]], outputs);
      return;
    }
    case 'Reshape':
      w.add('Reshape', name, [inputs[0], w.int64s((a as OpAttrs['Reshape']).shape)], outputs);
      return;
    case 'Transpose':
      w.add('Transpose', name, inputs, outputs, present(ints('perm', (a as OpAttrs['Transpose']).perm)));
      return;
    case 'Flatten':
      w.add('Flatten', name, inputs, outputs, [intAttr('axis', (a as OpAttrs['Flatten']).axis ?? 1)]);
      return;
    case 'Squeeze':
    case 'Unsqueeze': {
      // Empty axes: a no-op in the IR, "squeeze every 1" in ONNX.
      const axes = (a as OpAttrs['Squeeze']).axes;
      if (axes.length === 0) w.add('Identity', name, inputs, outputs);
      else w.add(op, name, [inputs[0], w.int64s(axes)], outputs);
      return;
    }
    case 'Expand':
      w.add('Expand', name, [inputs[0], w.shapeTensor((a as OpAttrs['Expand']).shape, `${op} node "${name}"`)], outputs);
      return;
    case 'Concat':
      w.add('Concat', name, inputs, outputs, [intAttr('axis', (a as OpAttrs['Concat']).axis)]);
      return;
    case 'Slice': {
      const s = a as OpAttrs['Slice'];
      const extra = [w.int64s(s.starts), w.int64s(s.ends)];
      if (s.axes || s.steps) extra.push(w.int64s(s.axes ?? s.starts.map((_, i) => i)));
      if (s.steps) extra.push(w.int64s(s.steps));
      w.add('Slice', name, [inputs[0], ...extra], outputs);
      return;
    }
    case 'Pad': {
      const p = a as OpAttrs['Pad'];
      const x = w.typeOf(inputs[0]);
      const v = p.value ?? 0;
      // constant_value has the input's element type.
      const value =
        x.dtype === 'float32'
          ? w.scalar(v)
          : x.dtype === 'int64'
            ? w.initializer(`${name}/value`, { dtype: 'int64', shape: [], data: BigInt64Array.of(BigInt(Math.trunc(v))) })
            : w.initializer(`${name}/value`, { dtype: 'bool', shape: [], data: Uint8Array.of(v ? 1 : 0) });
      w.add('Pad', name, [inputs[0], w.int64s(p.pads), value], outputs);
      return;
    }
    case 'ReduceSum':
    case 'ReduceMean':
    case 'ReduceMax':
      return lowerReduce(w, node as Node<'ReduceSum'>);
    case 'Softmax':
    case 'LogSoftmax':
      w.add(op, name, inputs, outputs, [intAttr('axis', (a as OpAttrs['Softmax']).axis ?? -1)]);
      return;
    case 'Conv':
    case 'ConvTranspose': {
      const c = a as OpAttrs['ConvTranspose'];
      const kernel = w.typeOf(inputs[1]).shape.slice(2) as number[];
      w.add(op, name, inputs, outputs, present(intsAttr('kernel_shape', kernel), ints('strides', c.strides), ints('pads', c.pads), ints('dilations', c.dilations), c.group === undefined ? undefined : intAttr('group', c.group), ints('output_padding', c.outputPadding)));
      return;
    }
    case 'AveragePool': {
      const p = a as OpAttrs['AveragePool'];
      w.add(op, name, inputs, outputs, present(intsAttr('kernel_shape', p.kernelShape), ints('strides', p.strides), ints('pads', p.pads), bool('count_include_pad', p.countIncludePad)));
      return;
    }
    case 'MaxPool': {
      const p = a as OpAttrs['MaxPool'];
      w.add(op, name, inputs, outputs, present(intsAttr('kernel_shape', p.kernelShape), ints('strides', p.strides), ints('pads', p.pads)));
      return;
    }
    case 'BatchNormalization': {
      const b = a as OpAttrs['BatchNormalization'];
      if (b.training) return expandBatchNormTraining(w, node as Node<'BatchNormalization'>);
      w.add(op, name, inputs, outputs, [floatAttr('epsilon', b.epsilon ?? 1e-5)]);
      return;
    }
    case 'Constant': {
      w.add('Constant', name, [], outputs, [tensorAttr('value', (a as OpAttrs['Constant']).value)]);
      return;
    }
    case 'Cast':
      w.add('Cast', name, inputs, outputs, [intAttr('to', CAST_TO[(a as OpAttrs['Cast']).to])]);
      return;
    default:
      throw new UnsupportedError('onnx', `op ${op}`, `node "${name}"`);
  }
}

/** 2-D with transposes → Gemm (one MLAS call, no transposed copy); otherwise explicit Transpose + MatMul. */
function lowerMatMul(w: OnnxGraphWriter, node: Node<'MatMul'>): void {
  const { transA, transB } = node.attrs;
  const [a, b] = node.inputs;
  const rankA = w.typeOf(a).shape.length;
  const rankB = w.typeOf(b).shape.length;
  if (!transA && !transB) {
    w.add('MatMul', node.name, node.inputs, node.outputs);
    return;
  }
  if (rankA === 2 && rankB === 2) {
    w.add('Gemm', node.name, node.inputs, node.outputs, present(bool('transA', transA), bool('transB', transB)));
    return;
  }
  const swapLast = (rank: number) => [...Array.from({ length: rank - 2 }, (_, i) => i), rank - 1, rank - 2];
  const ta = transA ? w.emit('Transpose', `${node.name}/A^T`, [a], [intsAttr('perm', swapLast(rankA))]) : a;
  const tb = transB ? w.emit('Transpose', `${node.name}/B^T`, [b], [intsAttr('perm', swapLast(rankB))]) : b;
  w.add('MatMul', node.name, [ta, tb], node.outputs);
}

/** ReduceSum takes axes as an input since opset 13, ReduceMean/Max as an attribute until opset 18. */
function lowerReduce(w: OnnxGraphWriter, node: Node<'ReduceSum'>): void {
  const { axes, keepdims } = node.attrs;
  const keep = intAttr('keepdims', keepdims === false ? 0 : 1);
  // An empty axes list reduces nothing in the IR, but everything in ONNX.
  if (axes && axes.length === 0) {
    w.add('Identity', node.name, node.inputs, node.outputs);
    return;
  }
  const x = w.typeOf(node.inputs[0]);
  if (node.op === 'ReduceSum' && !w.portable && x.dtype === 'float32' && x.shape.length === 2 && axes?.length === 1 && (axes[0] === 0 || axes[0] === -2)) {
    // Column sums as onesᵀ·X: one MLAS product, much faster than ReduceSum over the leading axis (the bias
    // gradient of every dense layer: [N, C] → [C]; docs/performance.md).
    const ones = w.ones(x.shape[0], node.name);
    if (keepdims === false) w.add('MatMul', node.name, [ones, node.inputs[0]], node.outputs);
    else w.add('Unsqueeze', node.name, [w.emit('MatMul', `${node.name}/sums`, [ones, node.inputs[0]]), w.int64s([0])], node.outputs);
    return;
  }
  if (node.op === 'ReduceSum') {
    w.add('ReduceSum', node.name, axes ? [node.inputs[0], w.int64s(axes)] : node.inputs, node.outputs, [keep]);
    return;
  }
  w.add(node.op, node.name, node.inputs, node.outputs, present(ints('axes', axes), keep));
}
