/** The gradient rule of every differentiable op in the catalogue. */
import type { RuleTable } from './rule.js';
import { batchNormalizationRules } from './batch-normalization.js';
import { convolutionRules } from './convolution.js';
import { elementwiseRules } from './elementwise.js';
import { linearAlgebraRules } from './linear-algebra.js';
import { poolingRules } from './pooling.js';
import { reductionRules } from './reductions.js';
import { shapeRules } from './shape-ops.js';

export const GRADIENT_RULES: RuleTable = {
  ...linearAlgebraRules,
  ...elementwiseRules,
  ...shapeRules,
  ...reductionRules,
  ...convolutionRules,
  ...poolingRules,
  ...batchNormalizationRules,
};

export type { GradientRule, RuleContext, RuleTable } from './rule.js';
