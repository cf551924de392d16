/**
 * Elementwise ops. They follow their inputs' layout: a 4-D input held in NHWC stays NHWC (the other operand
 * of a binary op is moved to NHWC, cheap for the usual [1, C, 1, 1] bias), so conv → bias → relu → pool
 * chains need no transposes.
 */
import { broadcastShapes, type Node, type OpAttrs } from '@rank-collapse/backend';
import type { Tf, TfTensor } from '../tf-namespace.js';
import { NCHW_TO_NHWC } from '../value-store.js';
import type { Kernel, KernelContext } from './kernel.js';

type Unary = (ctx: KernelContext, x: TfTensor, node: Node) => TfTensor;

function unary(f: Unary): Kernel {
  return (ctx, node) => {
    const [x] = node.inputs;
    if (ctx.values.isNhwc(x)) ctx.values.set(node.outputs[0], f(ctx, ctx.values.nhwc(x), node), 'nhwc');
    else ctx.values.set(node.outputs[0], f(ctx, ctx.values.get(x), node));
  };
}

/** Moves an operand that broadcasts against a 4-D NCHW value into NHWC order. */
function toNhwcOperand(ctx: KernelContext, name: string): TfTensor {
  const { tf, values } = ctx;
  if (values.isNhwc(name)) return values.nhwc(name);
  const t = values.get(name);
  const shape4 = [...Array(4 - t.rank).fill(1), ...t.shape];
  return tf.transpose(tf.reshape(t, shape4), [...NCHW_TO_NHWC]);
}

function nary(f: (ctx: KernelContext, xs: TfTensor[]) => TfTensor): Kernel {
  return (ctx, node) => {
    const { values } = ctx;
    const names = node.inputs;
    const anyNhwc = names.some((n) => values.isNhwc(n));
    const fitsNhwc = anyNhwc && names.every((n) => values.shape(n).length <= 4);
    if (fitsNhwc) {
      values.set(node.outputs[0], f(ctx, names.map((n) => toNhwcOperand(ctx, n))), 'nhwc');
    } else {
      values.set(node.outputs[0], f(ctx, names.map((n) => values.get(n))));
    }
  };
}

/**
 * Broadcasts `t` to `shape` by adding zeros: on wasm, tf.broadcastTo (a Tile) is several times slower than a
 * broadcasting Add, and tf.where broadcasts through it.
 */
export function broadcastFast(tf: Tf, t: TfTensor, shape: readonly number[]): TfTensor {
  if (t.rank === shape.length && t.shape.every((d, i) => d === shape[i])) return t;
  // A single value (the 0 of a relu gradient's Where, a scalar Expand) is a fill: one pass instead of two.
  if (t.size === 1 && t.dtype !== 'bool') return tf.fill([...shape], t.dataSync()[0], t.dtype as 'float32' | 'int32');
  if (t.dtype === 'bool') return tf.notEqual(tf.add(tf.cast(t, 'int32'), tf.zeros([...shape], 'int32')), 0);
  return tf.add(t, tf.zeros([...shape], t.dtype));
}

const attrs = <T extends keyof OpAttrs>(node: Node): OpAttrs[T] => node.attrs as OpAttrs[T];

export const elementwiseKernels: Record<string, Kernel> = {
  Add: nary(({ tf }, [a, b]) => tf.add(a, b)),
  Sub: nary(({ tf }, [a, b]) => tf.sub(a, b)),
  Mul: nary(({ tf }, [a, b]) => tf.mul(a, b)),
  Div: nary(({ tf }, [a, b]) => tf.div(a, b)),
  Greater: nary(({ tf }, [a, b]) => tf.greater(a, b)),
  Equal: nary(({ tf }, [a, b]) => tf.equal(a, b)),
  Where: nary(({ tf }, [c, a, b]) => {
    const shape = [c, a, b].reduce<number[]>((s, t) => broadcastShapes(s, t.shape, 'Where') as number[], []);
    return tf.where(broadcastFast(tf, c, shape), broadcastFast(tf, a, shape), broadcastFast(tf, b, shape));
  }),
  Neg: unary(({ tf }, x) => tf.neg(x)),
  Exp: unary(({ tf }, x) => tf.exp(x)),
  Log: unary(({ tf }, x) => tf.log(x)),
  Sqrt: unary(({ tf }, x) => tf.sqrt(x)),
  Abs: unary(({ tf }, x) => tf.abs(x)),
  Relu: unary(({ tf }, x) => tf.relu(x)),
  LeakyRelu: unary(({ tf }, x, node) => tf.leakyRelu(x, attrs<'LeakyRelu'>(node).alpha ?? 0.01)),
  Tanh: unary(({ tf }, x) => tf.tanh(x)),
  Sigmoid: unary(({ tf }, x) => tf.sigmoid(x)),
  Clip: unary(({ tf }, x, node) => {
    const { min, max } = attrs<'Clip'>(node);
    let y = x;
    if (min !== undefined) y = tf.maximum(y, tf.scalar(min));
    if (max !== undefined) y = tf.minimum(y, tf.scalar(max));
    return min === undefined && max === undefined ? tf.clone(x) : y;
  }),
  Identity: (ctx, node) => {
    const [x] = node.inputs;
    // Aliases the input: the run clones outputs that alias feeds, constants or other outputs.
    if (ctx.values.isNhwc(x)) ctx.values.set(node.outputs[0], ctx.values.nhwc(x), 'nhwc');
    else ctx.values.set(node.outputs[0], ctx.values.get(x));
  },
};
