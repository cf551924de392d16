/** MatMul (batched, broadcasting leading dims) and Gemm, on one strided matrix-product loop. */
import { RunError } from '../../../errors.js';
import { formatShape } from '../../../ir/shape.js';
import { asFloat, broadcastConcrete, broadcastIndex, countOf, floatTensor, type FloatTensor } from '../tensor.js';
import type { KernelTable } from './kernel.js';

/** Row-major operand view: element (i, p) of op(X) sits at offset + i·rowStride + p·colStride. */
interface MatrixView {
  readonly rows: number;
  readonly cols: number;
  readonly rowStride: number;
  readonly colStride: number;
}

function view(shape: readonly number[], trans: boolean | undefined): MatrixView {
  const r = shape[shape.length - 2];
  const c = shape[shape.length - 1];
  return trans ? { rows: c, cols: r, rowStride: 1, colStride: c } : { rows: r, cols: c, rowStride: c, colStride: 1 };
}

/** C[cOffset + i·n + j] += Σ_p A(i, p)·B(p, j): a plain i-p-j loop, the B row read contiguously when untransposed. */
function multiplyInto(a: Float64Array, aOffset: number, va: MatrixView, b: Float64Array, bOffset: number, vb: MatrixView, c: Float64Array, cOffset: number): void {
  const m = va.rows;
  const k = va.cols;
  const n = vb.cols;
  for (let i = 0; i < m; i++) {
    const cRow = cOffset + i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[aOffset + i * va.rowStride + p * va.colStride];
      const bRow = bOffset + p * vb.rowStride;
      for (let j = 0; j < n; j++) c[cRow + j] += aip * b[bRow + j * vb.colStride];
    }
  }
}

function innerDimsMatch(va: MatrixView, vb: MatrixView, a: FloatTensor, b: FloatTensor, where: string): void {
  if (va.cols !== vb.rows) throw new RunError(`${where}: inner dims differ: ${formatShape(a.shape)} · ${formatShape(b.shape)}`);
}

export const MATMUL_KERNELS: KernelTable<'MatMul' | 'Gemm'> = {
  MatMul: ([x, y], attrs, { where }) => {
    const a = asFloat(x, where, 'input A');
    const b = asFloat(y, where, 'input B');
    const va = view(a.shape, attrs.transA);
    const vb = view(b.shape, attrs.transB);
    innerDimsMatch(va, vb, a, b, where);
    const leadA = a.shape.slice(0, -2);
    const leadB = b.shape.slice(0, -2);
    const lead = broadcastConcrete([leadA, leadB], where);
    const ia = broadcastIndex(lead, leadA);
    const ib = broadcastIndex(lead, leadB);
    const out = floatTensor([...lead, va.rows, vb.cols]);
    const aSize = va.rows * va.cols;
    const bSize = vb.rows * vb.cols;
    const cSize = va.rows * vb.cols;
    for (let batch = 0; batch < countOf(lead); batch++) {
      multiplyInto(a.data, ia[batch] * aSize, va, b.data, ib[batch] * bSize, vb, out.data, batch * cSize);
    }
    return [out];
  },
  Gemm: ([x, y, z], attrs, { where }) => {
    const a = asFloat(x, where, 'input A');
    const b = asFloat(y, where, 'input B');
    const va = view(a.shape, attrs.transA);
    const vb = view(b.shape, attrs.transB);
    innerDimsMatch(va, vb, a, b, where);
    const out = floatTensor([va.rows, vb.cols]);
    multiplyInto(a.data, 0, va, b.data, 0, vb, out.data, 0);
    const alpha = attrs.alpha ?? 1;
    const beta = attrs.beta ?? 1;
    for (let i = 0; i < out.data.length; i++) out.data[i] *= alpha;
    if (z) {
      const c = asFloat(z, where, 'input C');
      const shape = broadcastConcrete([out.shape, c.shape], where);
      if (shape.length !== 2 || shape[0] !== va.rows || shape[1] !== vb.cols) {
        throw new RunError(`${where}: C ${formatShape(c.shape)} does not broadcast to ${formatShape(out.shape)}`);
      }
      const ic = broadcastIndex(out.shape, c.shape);
      for (let i = 0; i < out.data.length; i++) out.data[i] += beta * c.data[ic[i]];
    }
    return [out];
  },
};
