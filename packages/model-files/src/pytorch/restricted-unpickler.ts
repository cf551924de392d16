/**
 * A pickle interpreter that only builds data: the opcodes of protocols 2–5 that plain containers need, and a
 * fixed table of PyTorch globals turned into inert records (see pickle-values.ts). Any other global is refused
 * by name the moment the opcode naming it is read, so nothing a pickle asks for is ever looked up or called.
 */
import { PickleDict, PickleGlobal, PickleSet, STORAGE_DTYPES, StorageRef, TensorRef, type PickleValue, type StorageClass } from './pickle-values.js';

/** Thrown for a pickle this interpreter will not read; the reader wraps it in a ModelFileError. */
export class PickleRefusal extends Error {}

/** What the refusal of a global says is read instead. */
const READ_ONLY = 'only tensors, storages and plain containers are read';

/** Python 2 module names that protocol 2 writes for Python 3 ones (pickle's fix_imports), mapped back. */
const PYTHON2_MODULES: Readonly<Record<string, string>> = { __builtin__: 'builtins', copy_reg: 'copyreg', commands: 'subprocess', exceptions: 'builtins' };

/** Globals that may be called by REDUCE, with what they build. */
const CALLABLES: Readonly<Record<string, (args: PickleValue[]) => PickleValue>> = {
  'collections.OrderedDict': (args) => dictFrom(args),
  'builtins.dict': (args) => dictFrom(args),
  'builtins.set': (args) => new PickleSet(args.length ? iterableItems(args[0]) : []),
  'builtins.frozenset': (args) => new PickleSet(args.length ? iterableItems(args[0]) : []),
  'builtins.list': (args) => (args.length ? iterableItems(args[0]) : []),
  // Protocol 2 writes bytes as _codecs.encode(text, 'latin1').
  '_codecs.encode': (args) => {
    if (typeof args[0] !== 'string' || (args[1] !== 'latin1' && args[1] !== 'latin-1')) throw new PickleRefusal('_codecs.encode is read only as the latin1 encoding of bytes');
    return Uint8Array.from(args[0], (c) => c.charCodeAt(0) & 0xff);
  },
  'torch._utils._rebuild_tensor_v2': rebuildTensor,
  'torch._utils._rebuild_tensor': rebuildTensor,
  'torch._utils._rebuild_parameter': rebuildParameter,
  'torch._utils._rebuild_parameter_with_state': rebuildParameter,
};

/** Globals that are names only: storage classes (arguments of persistent ids). */
const STORAGE_CLASSES = new Set(Object.keys(STORAGE_DTYPES).map((name) => `torch.${name}`));

/** Longest string, bytes or integer literal read (a state dict's pickle is kilobytes). */
const MAX_LITERAL = 64 * 1024 * 1024;

/**
 * Interprets `bytes` as a pickle and returns the value it builds.
 * @throws PickleRefusal naming the global or opcode refused, or what is malformed (truncated, stack underflow, bad memo reference)
 */
export function unpickle(bytes: Uint8Array): PickleValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8', { fatal: true });
  let pos = 0;
  let stack: PickleValue[] = [];
  const marks: PickleValue[][] = [];
  const memo = new Map<number, PickleValue>();

  const need = (n: number): number => {
    if (!Number.isSafeInteger(n) || n < 0 || n > MAX_LITERAL || pos + n > bytes.length) throw new PickleRefusal(`truncated or oversized: ${n} bytes wanted at byte ${pos} of ${bytes.length}`);
    const at = pos;
    pos += n;
    return at;
  };
  const u8 = () => bytes[need(1)];
  const u32 = () => view.getUint32(need(4), true);
  const u64 = () => {
    const value = view.getBigUint64(need(8), true);
    if (value > BigInt(MAX_LITERAL)) throw new PickleRefusal(`a ${value}-byte literal at byte ${pos - 8} is larger than any pickle this reader reads`);
    return Number(value);
  };
  const chunk = (n: number) => bytes.subarray(need(n), pos);
  const line = () => {
    const end = bytes.indexOf(0x0a, pos);
    if (end < 0) throw new PickleRefusal(`truncated: no end of line after byte ${pos}`);
    const s = new TextDecoder('latin1').decode(bytes.subarray(pos, end));
    pos = end + 1;
    return s;
  };
  const pop = (): PickleValue => {
    if (stack.length === 0) throw new PickleRefusal(`stack underflow at byte ${pos - 1}`);
    return stack.pop() as PickleValue;
  };
  const top = (): PickleValue => {
    if (stack.length === 0) throw new PickleRefusal(`stack underflow at byte ${pos - 1}`);
    return stack[stack.length - 1];
  };
  const popMark = (): PickleValue[] => {
    const items = stack;
    const previous = marks.pop();
    if (!previous) throw new PickleRefusal(`no MARK before byte ${pos - 1}`);
    stack = previous;
    return items;
  };
  const get = (index: number): PickleValue => {
    if (!memo.has(index)) throw new PickleRefusal(`memo entry ${index} read before it was written`);
    return memo.get(index) as PickleValue;
  };
  const setItems = (target: PickleValue, items: PickleValue[]) => {
    if (!(target instanceof PickleDict)) throw new PickleRefusal(`SETITEM on a ${describe(target)}, not a dict`);
    if (items.length % 2) throw new PickleRefusal('SETITEMS with an odd number of items');
    for (let i = 0; i < items.length; i += 2) target.entries.set(items[i], items[i + 1]);
  };
  const append = (target: PickleValue, items: PickleValue[]) => {
    if (target instanceof PickleSet) target.items.push(...items);
    else if (Array.isArray(target)) target.push(...items);
    else throw new PickleRefusal(`APPEND on a ${describe(target)}, not a list`);
  };

  for (;;) {
    const at = pos;
    const op = u8();
    switch (op) {
      case 0x80: // PROTO
        if (u8() > 5) throw new PickleRefusal(`pickle protocol ${bytes[at + 1]} is newer than protocol 5`);
        break;
      case 0x95: // FRAME: a length prefix only
        need(8);
        break;
      case 0x2e: // STOP
        if (stack.length !== 1 || marks.length) throw new PickleRefusal(`STOP with ${stack.length} values on the stack`);
        return stack[0];
      case 0x28: // MARK
        marks.push(stack);
        stack = [];
        break;
      case 0x29: // EMPTY_TUPLE
        stack.push([]);
        break;
      case 0x5d: // EMPTY_LIST
        stack.push([]);
        break;
      case 0x7d: // EMPTY_DICT
        stack.push(new PickleDict());
        break;
      case 0x8f: // EMPTY_SET
        stack.push(new PickleSet([]));
        break;
      case 0x74: // TUPLE
      case 0x6c: {
        // LIST (popMark replaces `stack`: take the items before pushing)
        const items = popMark();
        stack.push(items);
        break;
      }
      case 0x85: // TUPLE1
        stack.push([pop()]);
        break;
      case 0x86: {
        // TUPLE2
        const b = pop();
        stack.push([pop(), b]);
        break;
      }
      case 0x87: {
        // TUPLE3
        const c = pop();
        const b = pop();
        stack.push([pop(), b, c]);
        break;
      }
      case 0x64: {
        // DICT
        const dict = new PickleDict();
        setItems(dict, popMark());
        stack.push(dict);
        break;
      }
      case 0x91: {
        // FROZENSET
        const set = new PickleSet(popMark());
        stack.push(set);
        break;
      }
      case 0x61: {
        // APPEND
        const item = pop();
        append(top(), [item]);
        break;
      }
      case 0x65: // APPENDS
      case 0x90: {
        // ADDITEMS
        const items = popMark();
        append(top(), items);
        break;
      }
      case 0x73: {
        // SETITEM
        const value = pop();
        const key = pop();
        setItems(top(), [key, value]);
        break;
      }
      case 0x75: {
        // SETITEMS
        const items = popMark();
        setItems(top(), items);
        break;
      }
      case 0x4e: // NONE
        stack.push(null);
        break;
      case 0x88: // NEWTRUE
        stack.push(true);
        break;
      case 0x89: // NEWFALSE
        stack.push(false);
        break;
      case 0x4a: // BININT
        stack.push(view.getInt32(need(4), true));
        break;
      case 0x4b: // BININT1
        stack.push(u8());
        break;
      case 0x4d: // BININT2
        stack.push(view.getUint16(need(2), true));
        break;
      case 0x8a: // LONG1
        stack.push(littleEndianInteger(chunk(u8())));
        break;
      case 0x8b: // LONG4
        stack.push(littleEndianInteger(chunk(u32())));
        break;
      case 0x47: // BINFLOAT (big-endian, by the pickle format)
        stack.push(view.getFloat64(need(8), false));
        break;
      case 0x58: // BINUNICODE
        stack.push(decodeText(text, chunk(u32()), at));
        break;
      case 0x8c: // SHORT_BINUNICODE
        stack.push(decodeText(text, chunk(u8()), at));
        break;
      case 0x8d: // BINUNICODE8
        stack.push(decodeText(text, chunk(u64()), at));
        break;
      case 0x54: // BINSTRING (Python 2 str)
        stack.push(new TextDecoder('latin1').decode(chunk(u32())));
        break;
      case 0x55: // SHORT_BINSTRING
        stack.push(new TextDecoder('latin1').decode(chunk(u8())));
        break;
      case 0x42: // BINBYTES
        stack.push(chunk(u32()).slice());
        break;
      case 0x43: // SHORT_BINBYTES
        stack.push(chunk(u8()).slice());
        break;
      case 0x8e: // BINBYTES8
        stack.push(chunk(u64()).slice());
        break;
      case 0x71: // BINPUT
        memo.set(u8(), top());
        break;
      case 0x72: // LONG_BINPUT
        memo.set(u32(), top());
        break;
      case 0x94: // MEMOIZE
        memo.set(memo.size, top());
        break;
      case 0x68: // BINGET
        stack.push(get(u8()));
        break;
      case 0x6a: // LONG_BINGET
        stack.push(get(u32()));
        break;
      case 0x63: {
        // GLOBAL: "module\nname\n"
        const module = line();
        stack.push(allowGlobal(module, line()));
        break;
      }
      case 0x93: {
        // STACK_GLOBAL
        const name = pop();
        const module = pop();
        if (typeof module !== 'string' || typeof name !== 'string') throw new PickleRefusal('STACK_GLOBAL without a module and a name');
        stack.push(allowGlobal(module, name));
        break;
      }
      case 0x52: {
        // REDUCE
        const args = pop();
        const callable = pop();
        stack.push(call(callable, args));
        break;
      }
      case 0x81: {
        // NEWOBJ: cls.__new__(cls, *args); only the container classes are allowed
        const args = pop();
        stack.push(call(pop(), args));
        break;
      }
      case 0x62: {
        // BUILD: state of a dict (an OrderedDict's __dict__, such as a state dict's _metadata) or a tensor; kept out
        pop();
        const target = top();
        if (!(target instanceof PickleDict || target instanceof TensorRef)) throw new PickleRefusal(`BUILD on a ${describe(target)}: ${READ_ONLY}`);
        break;
      }
      case 0x51: {
        // BINPERSID
        stack.push(persistentStorage(pop()));
        break;
      }
      case 0x30: // POP
        if (stack.length) stack.pop();
        else popMark();
        break;
      case 0x31: // POP_MARK
        popMark();
        break;
      case 0x32: // DUP
        stack.push(top());
        break;
      default:
        throw new PickleRefusal(`refuses opcode ${opcodeName(op)} at byte ${at}: ${READ_ONLY}`);
    }
  }
}

/** The global as a record when the table allows it; otherwise the refusal, naming it. */
function allowGlobal(writtenModule: string, name: string): PickleGlobal {
  const module = PYTHON2_MODULES[writtenModule] ?? writtenModule;
  const qualified = `${module}.${name}`;
  if (qualified in CALLABLES || STORAGE_CLASSES.has(qualified)) return new PickleGlobal(module, name);
  const written = module === writtenModule ? '' : ` (written ${writtenModule}.${name})`;
  const alias = module === 'posix' || module === 'nt' ? ` (os.${name})` : '';
  throw new PickleRefusal(`refuses global ${qualified}${alias}${written}: ${READ_ONLY}`);
}

function call(callable: PickleValue, args: PickleValue): PickleValue {
  if (!(callable instanceof PickleGlobal) || !(callable.qualifiedName in CALLABLES)) throw new PickleRefusal(`refuses to call a ${describe(callable)}: ${READ_ONLY}`);
  if (!Array.isArray(args)) throw new PickleRefusal(`${callable.qualifiedName} called without an argument tuple`);
  return CALLABLES[callable.qualifiedName](args);
}

/** ('storage', torch.FloatStorage, key, location, numel), as torch.save writes a storage's persistent id. */
function persistentStorage(pid: PickleValue): StorageRef {
  if (!Array.isArray(pid) || pid[0] !== 'storage' || pid.length < 5) throw new PickleRefusal(`persistent id ${describe(pid)} is not a storage: ${READ_ONLY}`);
  const [, type, key, location, numel] = pid;
  if (!(type instanceof PickleGlobal) || !STORAGE_CLASSES.has(type.qualifiedName)) throw new PickleRefusal(`storage of type ${describe(type)}: expected a torch storage class`);
  if (typeof key !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(key)) throw new PickleRefusal(`storage key ${describe(key)} is not a plain name`);
  if (!isCount(numel)) throw new PickleRefusal(`storage ${key} has ${String(numel)} elements`);
  return new StorageRef(type.name as StorageClass, key, typeof location === 'string' ? location : String(location), numel);
}

function rebuildTensor(args: PickleValue[]): TensorRef {
  const [storage, offset, size, stride] = args;
  if (!(storage instanceof StorageRef)) throw new PickleRefusal(`_rebuild_tensor_v2 of a ${describe(storage)}, not a storage`);
  if (!isCount(offset) || !Array.isArray(size) || !Array.isArray(stride) || size.length !== stride.length || !size.every(isCount) || !stride.every(isCount)) {
    throw new PickleRefusal(`tensor of storage ${storage.key} has a malformed offset, size or stride`);
  }
  return new TensorRef(storage, offset, size as number[], stride as number[]);
}

/** torch._utils._rebuild_parameter(data, requires_grad, backward_hooks): the parameter is its tensor. */
function rebuildParameter(args: PickleValue[]): TensorRef {
  if (!(args[0] instanceof TensorRef)) throw new PickleRefusal(`_rebuild_parameter of a ${describe(args[0])}, not a tensor`);
  return args[0];
}

function dictFrom(args: PickleValue[]): PickleDict {
  const dict = new PickleDict();
  if (args.length === 0) return dict;
  if (args[0] instanceof PickleDict) {
    for (const [k, v] of args[0].entries) dict.entries.set(k, v);
    return dict;
  }
  for (const pair of iterableItems(args[0])) {
    if (!Array.isArray(pair) || pair.length !== 2) throw new PickleRefusal('OrderedDict built from items that are not pairs');
    dict.entries.set(pair[0], pair[1]);
  }
  return dict;
}

function iterableItems(value: PickleValue): PickleValue[] {
  if (Array.isArray(value)) return [...value];
  if (value instanceof PickleSet) return [...value.items];
  throw new PickleRefusal(`expected a list or tuple, got a ${describe(value)}`);
}

const isCount = (x: PickleValue): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0;

function littleEndianInteger(b: Uint8Array): number | bigint {
  if (b.length === 0) return 0;
  let value = 0n;
  for (let i = b.length - 1; i >= 0; i--) value = (value << 8n) | BigInt(b[i]);
  if (b[b.length - 1] & 0x80) value -= 1n << BigInt(8 * b.length);
  return value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

function decodeText(decoder: { decode(b: Uint8Array): string }, b: Uint8Array, at: number): string {
  try {
    return decoder.decode(b);
  } catch {
    throw new PickleRefusal(`string at byte ${at} is not valid UTF-8`);
  }
}

function describe(value: PickleValue | undefined): string {
  if (value instanceof PickleGlobal) return `global ${value.qualifiedName}`;
  if (value instanceof PickleDict) return 'dict';
  if (value instanceof TensorRef) return 'tensor';
  if (value instanceof StorageRef) return 'storage';
  if (Array.isArray(value)) return 'tuple';
  if (value === null || value === undefined) return 'None';
  return typeof value === 'string' ? `"${value.slice(0, 40)}"` : typeof value;
}

const OPCODE_NAMES: Readonly<Record<number, string>> = {
  0x69: 'INST',
  0x6f: 'OBJ',
  0x92: 'NEWOBJ_EX',
  0x82: 'EXT1',
  0x83: 'EXT2',
  0x84: 'EXT4',
  0x50: 'PERSID',
  0x49: 'INT',
  0x4c: 'LONG',
  0x46: 'FLOAT',
  0x53: 'STRING',
  0x56: 'UNICODE',
  0x70: 'PUT',
  0x67: 'GET',
  0x96: 'BYTEARRAY8',
  0x97: 'NEXT_BUFFER',
  0x98: 'READONLY_BUFFER',
};

function opcodeName(op: number): string {
  return `${OPCODE_NAMES[op] ?? 'unknown'} (0x${op.toString(16).padStart(2, '0')})`;
}
