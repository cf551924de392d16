import type { Pads2d } from './types.js';

/** The window attributes of Conv and ConvTranspose with their documented defaults filled in (ops.ts). */
export interface ConvGeometry {
  readonly strides: readonly number[];
  readonly pads: Pads2d;
  readonly dilations: readonly number[];
  readonly group: number;
}

/** Resolves Conv/ConvTranspose attributes to their geometry: strides [1, 1], pads 0, dilations [1, 1], group 1. */
export function convGeometry(attrs: { strides?: readonly number[]; pads?: Pads2d; dilations?: readonly number[]; group?: number }): ConvGeometry {
  return { strides: attrs.strides ?? [1, 1], pads: attrs.pads ?? [0, 0, 0, 0], dilations: attrs.dilations ?? [1, 1], group: attrs.group ?? 1 };
}
