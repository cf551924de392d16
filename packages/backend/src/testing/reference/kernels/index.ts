/** Every op's reference kernel; the `satisfies` clause makes a missing op a type error. */
import type { OpType } from '../../../ir/types.js';
import { BATCH_NORM_KERNELS } from './batch-norm.js';
import { CONV_KERNELS } from './conv.js';
import { ELEMENTWISE_KERNELS } from './elementwise.js';
import { IDENTITY_CONSTANT_CAST_KERNELS } from './identity-constant-cast.js';
import type { KernelTable } from './kernel.js';
import { LAYOUT_KERNELS } from './layout.js';
import { MATMUL_KERNELS } from './matmul.js';
import { POOL_KERNELS } from './pool.js';
import { REDUCE_KERNELS } from './reduce.js';

export const KERNELS: KernelTable<OpType> = {
  ...MATMUL_KERNELS,
  ...ELEMENTWISE_KERNELS,
  ...LAYOUT_KERNELS,
  ...REDUCE_KERNELS,
  ...CONV_KERNELS,
  ...POOL_KERNELS,
  ...BATCH_NORM_KERNELS,
  ...IDENTITY_CONSTANT_CAST_KERNELS,
};

export type { Kernel, KernelContext } from './kernel.js';
