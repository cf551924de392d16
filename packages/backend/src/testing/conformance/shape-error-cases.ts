/** Graphs that must fail to build, with the message naming the op, the node and the offending shapes. */
import { GraphBuilder } from '../../ir/builder.js';
import type { DType, Dim } from '../../ir/types.js';
import type { ShapeErrorCase } from './types.js';

/** A builder with inputs of the given shapes (float32 unless a dtype is given). */
function withInputs(...specs: (readonly Dim[] | readonly [DType, readonly Dim[]])[]) {
  const g = new GraphBuilder('shape-errors');
  const values = specs.map((s, i) => (typeof s[0] === 'string' && ['float32', 'int64', 'bool'].includes(s[0]) ? g.input(`in${i}`, s[0] as DType, s[1] as Dim[]) : g.input(`in${i}`, 'float32', s as Dim[])));
  return { g, values };
}

const error = (name: string, build: () => unknown, message: RegExp): ShapeErrorCase => ({ name, build, message });

/** The shape-error cases; each message regex requires the op name, the node name and the shapes involved. */
export function shapeErrorCases(): ShapeErrorCase[] {
  return [
    error('MatMul inner dims differ', () => {
      const { g, values: [a, b] } = withInputs([4, 3], [4, 3]);
      g.matmul(a, b, {}, { name: 'mm' });
    }, /MatMul node "mm": inner dims differ.*\[4, 3\].*\[4, 3\]/),
    error('MatMul rank 1', () => {
      const { g, values: [a, b] } = withInputs([3], [3, 2]);
      g.matmul(a, b, {}, { name: 'mm' });
    }, /MatMul node "mm".*rank ≥ 2.*\[3\]/),
    error('Gemm C does not broadcast', () => {
      const { g, values: [a, b, c] } = withInputs([3, 4], [4, 5], [4]);
      g.gemm(a, b, c, {}, { name: 'gemm' });
    }, /Gemm node "gemm".*\[4\]/),
    error('Add shapes do not broadcast', () => {
      const { g, values: [a, b] } = withInputs([3, 4], [3]);
      g.add(a, b, { name: 'sum' });
    }, /Add node "sum": shapes \[3, 4\] and \[3\] do not broadcast/),
    error('Greater on int64', () => {
      const { g, values: [a, b] } = withInputs(['int64', [2]], [2]);
      g.greater(a, b, { name: 'gt' });
    }, /Greater node "gt": input A must be float32, got int64 \[2\]/),
    error('Where with a float condition', () => {
      const { g, values: [c, x, y] } = withInputs([2], [2], [2]);
      g.where(c, x, y, { name: 'w' });
    }, /Where node "w": condition must be bool, got float32 \[2\]/),
    error('Reshape element count mismatch', () => {
      const { g, values: [x] } = withInputs([4, 3]);
      g.reshape(x, [5, -1], { name: 'r' });
    }, /Reshape node "r": cannot reshape \[4, 3\]/),
    error('Transpose perm is not a permutation', () => {
      const { g, values: [x] } = withInputs([2, 3, 4]);
      g.transpose(x, [0, 0, 1], { name: 't' });
    }, /Transpose node "t": perm \[0,0,1\] is not a permutation.*\[2, 3, 4\]/),
    error('Squeeze a dim that is not 1', () => {
      const { g, values: [x] } = withInputs([2, 3]);
      g.squeeze(x, [1], { name: 'sq' });
    }, /Squeeze node "sq": dim 1 of \[2, 3\] is not 1/),
    error('Concat shapes differ off the axis', () => {
      const { g, values: [a, b] } = withInputs([2, 3], [3, 3]);
      g.concat([a, b], 1, { name: 'cat' });
    }, /Concat node "cat".*\[2, 3\].*\[3, 3\].*off axis 1/),
    error('Slice with step 0', () => {
      const { g, values: [x] } = withInputs([5]);
      g.slice(x, { starts: [0], ends: [5], steps: [0] }, { name: 'sl' });
    }, /Slice node "sl": step must be a non-zero integer.*float32\[5\]/),
    error('Pad with the wrong number of pads', () => {
      const { g, values: [x] } = withInputs([2, 3]);
      g.pad(x, [1, 1], 0, { name: 'p' });
    }, /Pad node "p": pads \[1,1\] must be 4 non-negative numbers for \[2, 3\]/),
    error('Reduce axis out of range', () => {
      const { g, values: [x] } = withInputs([2, 3]);
      g.reduceSum(x, [2], true, { name: 'rs' });
    }, /ReduceSum node "rs": axis 2 is out of range for rank 2/),
    error('Softmax axis out of range', () => {
      const { g, values: [x] } = withInputs([2, 3]);
      g.softmax(x, 2, { name: 'sm' });
    }, /Softmax node "sm": axis 2 is out of range for rank 2/),
    error('Conv channels do not match the weight', () => {
      const { g, values: [x] } = withInputs([1, 3, 8, 8]);
      g.conv(x, g.param('W', [4, 2, 3, 3]), undefined, {}, { name: 'conv' });
    }, /Conv node "conv": X \[1, 3, 8, 8\] has 3 channels, W \[4, 2, 3, 3\] with group 1 expects 2/),
    error('Conv window larger than the padded input', () => {
      const { g, values: [x] } = withInputs([1, 1, 2, 2]);
      g.conv(x, g.param('W', [1, 1, 3, 3]), undefined, {}, { name: 'conv' });
    }, /Conv node "conv": window \[3,3\] does not fit input \[1, 1, 2, 2\]/),
    error('Conv bias of the wrong size', () => {
      const { g, values: [x] } = withInputs([1, 2, 5, 5]);
      g.conv(x, g.param('W', [4, 2, 3, 3]), g.param('B', [3]), {}, { name: 'conv' });
    }, /Conv node "conv": bias \[3\] must be \[4\]/),
    error('ConvTranspose bias of the wrong size', () => {
      const { g, values: [x] } = withInputs([1, 2, 5, 5]);
      g.convTranspose(x, g.param('W', [2, 3, 3, 3]), g.param('B', [2]), {}, { name: 'convT' });
    }, /ConvTranspose node "convT": bias \[2\] must be \[3\]/),
    error('Conv on a rank-3 input', () => {
      const { g, values: [x] } = withInputs([1, 8, 8]);
      g.conv(x, g.param('W', [1, 1, 3, 3]), undefined, {}, { name: 'conv' });
    }, /Conv node "conv": input X \(NCHW\) must have rank 4, got \[1, 8, 8\]/),
    error('MaxPool window does not fit', () => {
      const { g, values: [x] } = withInputs([1, 1, 2, 2]);
      g.maxPool(x, { kernelShape: [3, 3] }, { name: 'mp' });
    }, /MaxPool node "mp": window \[3,3\] does not fit input \[1, 1, 2, 2\]/),
    error('BatchNormalization scale of the wrong size', () => {
      const { g, values: [x, s, b, m, v] } = withInputs([2, 3, 4, 4], [4], [3], [3], [3]);
      g.batchNorm(x, s, b, m, v, {}, { name: 'bn' });
    }, /BatchNormalization node "bn": scale \[4\] must be \[3\]/),
    error('Expand to an incompatible shape', () => {
      const { g, values: [x] } = withInputs([3, 2]);
      g.expand(x, [3, 4], { name: 'ex' });
    }, /Expand node "ex": shapes \[3, 2\] and \[3, 4\] do not broadcast/),
  ];
}
