/** Cast (int64 lives as int32 inside tfjs; float → int truncates toward zero as the IR says). */
import type { OpAttrs } from '@rank-collapse/backend';
import type { Kernel } from './kernel.js';

export const miscKernels: Record<string, Kernel> = {
  Cast: ({ tf, values }, node) => {
    const { to } = node.attrs as OpAttrs['Cast'];
    const x = values.get(node.inputs[0]);
    let y;
    if (to === 'float32') y = tf.cast(x, 'float32');
    else if (to === 'bool') y = tf.notEqual(x, tf.zerosLike(x));
    else if (x.dtype === 'float32') y = tf.cast(tf.where(tf.less(x, 0), tf.ceil(x), tf.floor(x)), 'int32');
    else y = tf.cast(x, 'int32');
    values.set(node.outputs[0], y);
  },
};
