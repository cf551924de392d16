/**
 * What the restricted unpickler builds: plain values, and for PyTorch's own globals inert records (a storage
 * reference, a tensor view of one) instead of objects. Nothing here has behaviour.
 */

/** A value of the pickle: None, bool, int, float, str, bytes, list or tuple (arrays), dict, set, or a record below. */
export type PickleValue = null | boolean | number | bigint | string | Uint8Array | PickleValue[] | PickleDict | PickleSet | PickleGlobal | StorageRef | TensorRef;

/** dict and collections.OrderedDict, in insertion order. */
export class PickleDict {
  readonly entries = new Map<PickleValue, PickleValue>();
}

/** set and frozenset. */
export class PickleSet {
  constructor(readonly items: PickleValue[]) {}
}

/** A global the unpickler allows (by module and name), pushed as a name, never resolved to code. */
export class PickleGlobal {
  constructor(
    readonly module: string,
    readonly name: string,
  ) {}
  get qualifiedName(): string {
    return `${this.module}.${this.name}`;
  }
}

/** Element types of PyTorch storages, by storage class (`torch.FloatStorage` → F32). */
export const STORAGE_DTYPES = {
  DoubleStorage: { dtype: 'F64', itemSize: 8 },
  FloatStorage: { dtype: 'F32', itemSize: 4 },
  HalfStorage: { dtype: 'F16', itemSize: 2 },
  BFloat16Storage: { dtype: 'BF16', itemSize: 2 },
  LongStorage: { dtype: 'I64', itemSize: 8 },
  IntStorage: { dtype: 'I32', itemSize: 4 },
  ShortStorage: { dtype: 'I16', itemSize: 2 },
  CharStorage: { dtype: 'I8', itemSize: 1 },
  ByteStorage: { dtype: 'U8', itemSize: 1 },
  BoolStorage: { dtype: 'BOOL', itemSize: 1 },
  ComplexFloatStorage: { dtype: 'C64', itemSize: 8 },
  ComplexDoubleStorage: { dtype: 'C128', itemSize: 16 },
  UntypedStorage: { dtype: 'U8', itemSize: 1 },
} as const;
export type StorageClass = keyof typeof STORAGE_DTYPES;

/** A storage named by persistent id ('storage', torch.FloatStorage, key, location, numel): the zip entry data/<key>. */
export class StorageRef {
  constructor(
    readonly storageClass: StorageClass,
    readonly key: string,
    readonly location: string,
    /** Elements the pickle claims; checked against the entry's real size before anything is read. */
    readonly numel: number,
  ) {}
  get dtype(): string {
    return STORAGE_DTYPES[this.storageClass].dtype;
  }
  get itemSize(): number {
    return STORAGE_DTYPES[this.storageClass].itemSize;
  }
}

/** torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …): a view of a storage, in elements. */
export class TensorRef {
  constructor(
    readonly storage: StorageRef,
    readonly offset: number,
    readonly shape: readonly number[],
    readonly strides: readonly number[],
  ) {}
}
