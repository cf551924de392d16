/**
 * Values of one run, each held in the IR's layout (NCHW for 4-D) and/or in NHWC, the layout tfjs convolutions
 * and pools want. Conv/pool kernels write NHWC; consumers that need the IR layout get a transpose made once,
 * on first request, so runs of consecutive conv, pool and elementwise ops never leave NHWC.
 */
import type { Tf, TfTensor } from './tf-namespace.js';

/** IR (NCHW) axis → NHWC axis. */
export const NCHW_TO_NHWC = [0, 2, 3, 1] as const;
/** NHWC axis → IR (NCHW) axis. */
export const NHWC_TO_NCHW = [0, 3, 1, 2] as const;

interface Slot {
  canonical?: TfTensor;
  nhwc?: TfTensor;
}

/** The values of one run by name; 4-D values may be held in NHWC and are converted lazily, once. */
export class ValueStore {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly tf: Tf) {}

  /** Stores a value; `layout: 'nhwc'` means the tensor is the NHWC form of a 4-D IR value. */
  set(name: string, tensor: TfTensor, layout: 'canonical' | 'nhwc' = 'canonical'): void {
    this.slots.set(name, layout === 'nhwc' ? { nhwc: tensor } : { canonical: tensor });
  }

  has(name: string): boolean {
    return this.slots.has(name);
  }

  /** The value in the IR's layout. */
  get(name: string): TfTensor {
    const slot = this.slot(name);
    if (!slot.canonical) slot.canonical = this.tf.transpose(slot.nhwc!, [...NHWC_TO_NCHW]);
    return slot.canonical;
  }

  /** The NHWC form of a 4-D value. */
  nhwc(name: string): TfTensor {
    const slot = this.slot(name);
    if (!slot.nhwc) slot.nhwc = this.tf.transpose(slot.canonical!, [...NCHW_TO_NHWC]);
    return slot.nhwc;
  }

  /** True when the value is held in NHWC only, so NHWC consumers avoid a transpose. */
  isNhwc(name: string): boolean {
    const slot = this.slots.get(name);
    return slot !== undefined && slot.nhwc !== undefined;
  }

  /** Shape of the value in the IR's layout, without materializing it. */
  shape(name: string): number[] {
    const slot = this.slot(name);
    if (slot.canonical) return slot.canonical.shape;
    return NHWC_TO_NCHW.map((a) => slot.nhwc!.shape[a] as number);
  }

  private slot(name: string): Slot {
    const slot = this.slots.get(name);
    if (!slot) throw new Error(`value "${name}" has not been computed`);
    return slot;
  }
}
