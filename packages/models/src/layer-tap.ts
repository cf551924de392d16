/**
 * What the analysis needs to know about one analyzable layer (a dense or convolutional layer): where its
 * weight W_l, its input h_{l-1} and its pre-activation z_l live in the graph. Built models and imported graphs
 * present the same shape (see `findLayers`).
 */
export interface LayerTap {
  /** Stable readable name, e.g. `dense1` or `conv2` (the weight name without `.weight`, else the node name). */
  readonly name: string;
  readonly kind: 'dense' | 'conv';
  /** Param name of the weight. */
  readonly weight: string;
  /** Param name of the bias, when the layer has one. */
  readonly bias?: string;
  /** Value name of h_{l-1} exactly as fed to the op (dense: [N, n]; conv: [N, C_in, H, W]). */
  readonly input: string;
  /** Value name of z_l (after the bias, before any normalization or activation). */
  readonly preActivation: string;
  /**
   * How the weight tensor maps to the matrix W (m×n, z = W h + b):
   * `'out-in'`: the tensor is W itself ([m, n], PyTorch's Linear and Gemm with transB, or a conv kernel
   * [C_out, C_in, kh, kw]); `'in-out'`: the tensor is Wᵀ ([n, m], MatMul h·W as in TF/Keras).
   */
  readonly weightLayout: 'out-in' | 'in-out';
  /** [m, n] of W; for a conv, [C_out, C_in/group · kh · kw]. */
  readonly matrixShape: readonly [number, number];
}
