/** Every IR op's kernel, by op type (Constant is materialized at compile time, not here). */
import type { OpType } from '@rank-collapse/backend';
import { batchNormKernels } from './batch-norm.js';
import { convTransposeKernels } from './conv-transpose.js';
import { convKernels } from './conv.js';
import { elementwiseKernels } from './elementwise.js';
import type { Kernel } from './kernel.js';
import { matmulKernels } from './matmul.js';
import { miscKernels } from './misc.js';
import { poolKernels } from './pool.js';
import { reduceKernels } from './reduce.js';
import { shapeKernels } from './shape-ops.js';

export const KERNELS: Partial<Record<OpType, Kernel>> = {
  ...elementwiseKernels,
  ...matmulKernels,
  ...shapeKernels,
  ...reduceKernels,
  ...convKernels,
  ...convTransposeKernels,
  ...poolKernels,
  ...batchNormKernels,
  ...miscKernels,
};

export type { Kernel, KernelContext } from './kernel.js';
