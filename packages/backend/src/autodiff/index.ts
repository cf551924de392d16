/** Symbolic reverse-mode autodiff on the graph IR. */
export { gradients, type GradientsOptions, type GradientsResult } from './gradients.js';
