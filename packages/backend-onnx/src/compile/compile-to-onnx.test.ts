/** Lowering details the conformance suite does not pin down: op choices, symbolic dims, outputs that are inputs. */
import { GraphBuilder, createRng, type HostTensor } from '@rank-collapse/backend';
import { createReferenceBackend, expectClose, runOnce } from '@rank-collapse/backend/testing';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { createOnnxBackend } from '../create-onnx-backend.js';
import { loadOrt } from '../load-ort.js';
import { sessionOptionsOf } from '../onnx-backend-options.js';
import { compileToOnnx, ONNX_IR_VERSION, ONNX_OPSET } from './compile-to-onnx.js';

const rng = createRng('compile-to-onnx');
const random = (shape: number[]): HostTensor => ({ dtype: 'float32', shape, data: Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => rng.normal()) });
// One intra-op thread: the backend then also folds Gemm epilogues, so the folded graphs run here too.
const backend = createOnnxBackend({ ort, intraOpThreads: 1 });
const reference = createReferenceBackend();
const tolerance = { atol: 1e-5, rtol: 1e-4 };

async function agree(graph: ReturnType<GraphBuilder['build']>, feeds: Record<string, HostTensor>) {
  const a = await runOnce(backend, graph, feeds);
  const b = await runOnce(reference, graph, feeds);
  for (const name of graph.outputs) expectClose(a[name], b[name], tolerance, name);
  return a;
}

describe('compileToOnnx', () => {
  it('writes IR version 8, opset 17, params as inputs and symbolic dims as dim_param', () => {
    const g = new GraphBuilder('dense');
    const x = g.input('x', 'float32', ['N', 3]);
    g.output(g.gemm(x, g.param('W', [2, 3], 'weight'), undefined, { transB: true }, { name: 'z' }));
    const { model } = compileToOnnx(g.build());
    expect(model.irVersion).toBe(ONNX_IR_VERSION);
    expect(model.opsetImport).toEqual([{ domain: '', version: ONNX_OPSET }]);
    expect(model.graph!.input!.map((i) => i.name)).toEqual(['x', 'W']);
    expect(model.graph!.input![0].type!.tensorType!.shape!.dim).toEqual([{ dimParam: 'N' }, { dimValue: 3 }]);
    expect(model.graph!.initializer).toEqual([]);
  });

  it('lowers 2-D MatMul with transposes to one Gemm, and batched ones to Transpose + MatMul', async () => {
    const g = new GraphBuilder('matmuls');
    const a = g.input('a', 'float32', [4, 3]);
    const b = g.input('b', 'float32', [5, 4]);
    const c = g.input('c', 'float32', [2, 4, 3]);
    g.output(g.matmul(a, b, { transA: true, transB: true }, { name: 'ab' }));
    g.output(g.matmul(c, a, { transA: true }, { name: 'ca' }));
    const graph = g.build();
    const ops = compileToOnnx(graph).model.graph!.node!.map((n) => n.opType);
    expect(ops).toEqual(['Gemm', 'Transpose', 'MatMul']);
    await agree(graph, { a: random([4, 3]), b: random([5, 4]), c: random([2, 4, 3]) });
  });

  it('folds an SGD update into the weight-gradient Gemm (C = W, beta = λ; alpha, beta scaled by a following Mul)', async () => {
    const g = new GraphBuilder('sgd');
    const dz = g.input('dz', 'float32', ['N', 4]);
    const h = g.input('h', 'float32', ['N', 3]);
    const w = g.param('W', [4, 3], 'weight');
    const v = g.param('V', [4, 3]);
    const grad = g.matmul(dz, h, { transA: true }, { name: 'grad' });
    const step = g.add(grad, g.mul(g.scalar(0.01, { name: 'lambda' }), w));
    const v2 = g.add(g.mul(g.scalar(0.9, { name: 'mu' }), v), step, { name: 'next/V' });
    g.output(v2);
    g.output(g.sub(w, g.mul(g.scalar(0.1, { name: 'eta' }), v2), { name: 'next/W' }));
    g.output(g.mul(g.scalar(2, { name: 'two' }), g.matmul(dz, h, { transA: true }, { name: 'grad2' }), { name: 'twice' }));
    const graph = g.build();
    const nodes = compileToOnnx(graph).model.graph!.node!;
    const gemms = nodes.filter((n) => n.opType === 'Gemm');
    expect(gemms.map((n) => n.input)).toEqual([['dz', 'h', 'W'], ['dz', 'h']]);
    expect(gemms[0].attribute!.find((a) => a.name === 'beta')!.f).toBeCloseTo(0.01, 7);
    expect(gemms[1].output).toEqual(['twice']);
    expect(gemms[1].attribute!.find((a) => a.name === 'alpha')!.f).toBe(2);
    expect(nodes.filter((n) => n.opType === 'Add' || n.opType === 'Mul').length).toBe(3);
    await agree(graph, { dz: random([5, 4]), h: random([5, 3]), W: random([4, 3]), V: random([4, 3]) });
  });

  it('sees through the Identity that names a gradient, as the train step of the training package has it', async () => {
    const g = new GraphBuilder('named-gradient');
    const dz = g.input('dz', 'float32', ['N', 4]);
    const h = g.input('h', 'float32', ['N', 3]);
    const w = g.param('W', [4, 3], 'weight');
    const grad = g.identity(g.gemm(dz, h, undefined, { transA: true }), { name: 'grad/W' });
    g.output(g.add(grad, g.mul(g.scalar(0.01, { name: 'lambda' }), w), { name: 'step' }));
    const graph = g.build();
    const nodes = compileToOnnx(graph).model.graph!.node!;
    expect(nodes.map((n) => n.opType).filter((op) => op !== 'Constant')).toEqual(['Gemm']);
    expect(nodes.find((n) => n.opType === 'Gemm')!.input).toEqual(['dz', 'h', 'W']);
    await agree(graph, { dz: random([5, 4]), h: random([5, 3]), W: random([4, 3]) });
  });

  it('sums the columns of a float32 matrix as onesᵀ·X (symbolic rows, keepdims or not) and matches the reference', async () => {
    const g = new GraphBuilder('column-sums');
    const x = g.input('x', 'float32', ['N', 5]);
    g.output(g.reduceSum(x, [0], false, { name: 'sums' }));
    g.output(g.reduceSum(x, [-2], true, { name: 'kept' }));
    g.output(g.reduceSum(x, [1], false, { name: 'rows' }));
    const graph = g.build();
    const ops = compileToOnnx(graph).model.graph!.node!.map((n) => n.opType);
    expect(ops.filter((op) => op === 'MatMul')).toHaveLength(2);
    expect(ops.filter((op) => op === 'ReduceSum')).toHaveLength(1); // the row sums stay a ReduceSum
    expect(ops.filter((op) => op === 'ConstantOfShape')).toHaveLength(1); // one ones vector, shared
    for (const n of [1, 7, 130]) await agree(graph, { x: random([n, 5]) });
    // Files keep the plain ReduceSum, which the importer reads back.
    const portable = compileToOnnx(graph, { portable: true }).model.graph!.node!.map((n) => n.opType);
    expect(portable.filter((op) => op === 'ReduceSum')).toHaveLength(3);
    expect(portable).not.toContain('ConstantOfShape');
  });

  it('folds Gemm epilogues only when asked (the backend asks when it runs on one intra-op thread)', () => {
    const g = new GraphBuilder('fold');
    const a = g.input('a', 'float32', [2, 3]);
    g.output(g.add(g.gemm(a, g.param('W', [4, 3]), undefined, { transB: true }), g.param('C', [2, 4]), { name: 'y' }));
    const graph = g.build();
    const ops = (fold: boolean) => compileToOnnx(graph, { foldGemmEpilogues: fold }).model.graph!.node!.map((n) => n.opType);
    expect(ops(true)).toEqual(['Gemm']);
    expect(ops(false)).toEqual(['Gemm', 'Add']);
  });

  it('keeps the node list topologically sorted when C is computed after the Gemm', async () => {
    const g = new GraphBuilder('late-c');
    const a = g.input('a', 'float32', [3, 2]);
    const b = g.input('b', 'float32', [2, 4]);
    const c = g.input('c', 'float32', [3, 4]);
    const product = g.matmul(a, b, {}, { name: 'product' });
    const gemm = g.gemm(a, b, undefined, {}, { name: 'gemm' });
    g.output(g.add(gemm, g.relu(g.mul(product, c)), { name: 'y' }));
    const graph = g.build();
    const nodes = compileToOnnx(graph).model.graph!.node!;
    const known = new Set(['a', 'b', 'c']);
    for (const n of nodes) {
      for (const i of n.input ?? []) if (i) expect(known.has(i), `${n.opType} "${n.name}" reads "${i}" before it is computed`).toBe(true);
      for (const o of n.output ?? []) known.add(o);
    }
    expect(nodes.find((n) => n.output![0] === 'y')!.opType).toBe('Gemm');
    await agree(graph, { a: random([3, 2]), b: random([2, 4]), c: random([3, 4]) });
  });

  it('expands training batch norm for a symbolic batch (unbiased running variance) and matches the reference', async () => {
    const g = new GraphBuilder('bn');
    const x = g.input('x', 'float32', ['N', 3, 2, 2]);
    const [y, mean, variance] = g.batchNormTraining(x, g.param('s', [3]), g.param('b', [3]), g.param('m', [3]), g.param('v', [3]), { momentum: 0.8 }, { name: 'bn' });
    for (const v of [y, mean, variance]) g.output(v);
    const graph = g.build();
    expect(compileToOnnx(graph).model.graph!.node!.map((n) => n.opType)).not.toContain('BatchNormalization');
    for (const n of [2, 5]) await agree(graph, { x: random([n, 3, 2, 2]), s: random([3]), b: random([3]), m: random([3]), v: float32Positive([3]) });
  });

  it('returns inputs, params and constants that are graph outputs', async () => {
    const g = new GraphBuilder('passthrough');
    const x = g.input('x', 'float32', [2]);
    const p = g.param('p', [2]);
    g.output(x);
    g.output(p);
    g.output(g.constant({ dtype: 'float32', shape: [1], data: Float32Array.of(7) }, { name: 'seven' }));
    g.output(g.add(x, p, { name: 'sum' }));
    const out = await agree(g.build(), { x: random([2]), p: random([2]) });
    expect(Array.from(out.seven.data as Float32Array)).toEqual([7]);
  });

  it('expands a tensor to a symbolic batch read from an input at run time', async () => {
    const g = new GraphBuilder('expand');
    const x = g.input('x', 'float32', ['N', 3]);
    const row = g.param('row', [1, 3]);
    g.output(g.add(x, g.expand(row, ['N', 3]), { name: 'y' }));
    await agree(g.build(), { x: random([4, 3]), row: random([1, 3]) });
  });
});

describe('backend settings', () => {
  it('maps options onto session options, with defaults', () => {
    expect(sessionOptionsOf({ ort })).toMatchObject({ intraOpNumThreads: 2, interOpNumThreads: 1, executionMode: 'sequential', executionProviders: ['cpu'], graphOptimizationLevel: 'all' });
    const custom = sessionOptionsOf({ ort, intraOpThreads: 4, interOpThreads: 2, executionProviders: [{ name: 'cuda', deviceId: 1 }, 'cpu'], sessionOptions: { enableProfiling: true } });
    expect(custom).toMatchObject({ intraOpNumThreads: 4, executionMode: 'parallel', executionProviders: [{ name: 'cuda', deviceId: 1 }, 'cpu'], enableProfiling: true });
  });

  it('loads onnxruntime-node and describes the device', async () => {
    const loaded = await loadOrt();
    expect(typeof loaded.InferenceSession.create).toBe('function');
    expect(createOnnxBackend({ ort: loaded, intraOpThreads: 3 }).device).toMatch(/^onnxruntime-node 1\.\d+\.\d+, CPU, 3 threads$/);
  });
});

function float32Positive(shape: number[]): HostTensor {
  return { dtype: 'float32', shape, data: Float32Array.from({ length: shape.reduce((a, d) => a * d, 1) }, () => 0.5 + Math.abs(rng.normal())) };
}
