/** A decoded ONNX ModelProto → IR graph + parameters, reporting every unsupported node together. */
import { ModelFileError, formatShape, type Dim, type ImportedModel } from '@rank-collapse/backend';
import type { ModelProto, ValueInfoProto } from '@rank-collapse/model-files/onnx';
import { irDtype } from '@rank-collapse/model-files/onnx';
import { ImportContext, InconsistentModel, MissingInput, Unsupported, type ImportNode } from './import-context.js';
import { TensorReadError, readTensorProto } from '@rank-collapse/model-files/onnx';
import { ELEMENTWISE_TRANSLATORS } from './translate-elementwise.js';
import { LAYER_TRANSLATORS } from './translate-layers.js';
import { SHAPE_TRANSLATORS } from './translate-shapes.js';

/**
 * ai.onnx opset versions the importer reads: 9 to 21, plus 6 to 8 (old PyTorch exports) for the ops whose
 * semantics did not change (binary ops with the pre-7 `broadcast`+`axis` form are reported as unsupported).
 */
export const IMPORT_OPSETS = { min: 6, max: 21 } as const;

const TRANSLATORS: Record<string, (ctx: ImportContext, node: ImportNode, modelDir: string) => void> = { ...LAYER_TRANSLATORS, ...ELEMENTWISE_TRANSLATORS, ...SHAPE_TRANSLATORS };

/** Ops the importer understands (some only in the forms their translators accept). */
export const IMPORTABLE_OPS: readonly string[] = Object.keys(TRANSLATORS).sort();

/**
 * Translates `model` (read from `file`) into the IR: initializers become params (constants used only for
 * shapes fold away), data inputs stay inputs, nodes keep their names.
 * @throws ModelFileError naming `file`: bad opset, missing shapes, inconsistent shapes, or every unsupported node.
 */
export function onnxModelToIr(model: ModelProto, file: string, modelDir: string): ImportedModel {
  const fail = (problem: string, cause?: unknown): never => {
    throw new ModelFileError(file, problem, cause === undefined ? undefined : { cause });
  };
  const graph = model.graph;
  if (!graph || (graph.node ?? []).length === 0) fail('not an ONNX model: no graph or no nodes');
  const opsetEntry = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx');
  const opset = Number(opsetEntry?.version ?? 0);
  if (!opsetEntry || opset < IMPORT_OPSETS.min || opset > IMPORT_OPSETS.max) {
    fail(`ai.onnx opset ${opsetEntry ? opset : '(none)'} is not supported (versions ${IMPORT_OPSETS.min} to ${IMPORT_OPSETS.max} are)`);
  }
  const ctx = new ImportContext(graph!.name || 'onnx-model', opset);
  const nodes = graph!.node ?? [];
  ctx.reserve([...(graph!.input ?? []), ...(graph!.output ?? [])].map((v) => v.name ?? ''));
  ctx.reserve((graph!.initializer ?? []).map((t) => t.name ?? ''));
  for (const n of nodes) ctx.reserve(n.output ?? []);

  const initializerNames = new Set<string>();
  for (const t of graph!.initializer ?? []) {
    const name = t.name ?? '';
    if (!name) fail('an initializer has no name');
    try {
      ctx.setConst(name, readTensorProto(t, { modelDir }, `initializer "${name}"`), true);
    } catch (error) {
      if (error instanceof TensorReadError) fail(error.message, error);
      throw error;
    }
    initializerNames.add(name);
  }

  const symbols = new Set<string>();
  for (const input of graph!.input ?? []) {
    if (initializerNames.has(input.name ?? '')) continue;
    const [dtype, shape] = declaredType(input, 'input', fail);
    shape.forEach((d) => typeof d === 'string' && symbols.add(d));
    ctx.setValue(input.name!, ctx.builder.input(input.name!, dtype, shape));
  }
  if (symbols.size > 1) fail(`inputs use several symbolic dims (${[...symbols].join(', ')}); the IR allows one (the batch)`);

  const unsupported: string[] = [];
  nodes.forEach((proto, index) => {
    const node = ctx.node(proto, index);
    const domain = proto.domain ?? '';
    const translate = domain === '' || domain === 'ai.onnx' ? TRANSLATORS[node.opType] : undefined;
    const label = `${domain && domain !== 'ai.onnx' ? `${domain}.` : ''}${node.opType} (node "${node.name}")`;
    if (!translate) {
      unsupported.push(label);
      return;
    }
    try {
      translate(ctx, node, modelDir);
    } catch (error) {
      if (error instanceof MissingInput && unsupported.length > 0) return;
      if (error instanceof Unsupported) unsupported.push(`${label}: ${error.message}`);
      else if (error instanceof InconsistentModel) fail(`inconsistent shapes at ${label}: ${error.message}`, error);
      else if (error instanceof TensorReadError) fail(error.message, error);
      // Anything else (absurd sizes, malformed attributes) still names the file and the node.
      else fail(`cannot import ${label}: ${error instanceof Error ? error.message : String(error)}`, error);
    }
  });
  if (unsupported.length > 0) fail(`${unsupported.length} unsupported node${unsupported.length > 1 ? 's' : ''}: ${unsupported.join('; ')}`);

  for (const output of graph!.output ?? []) {
    const name = output.name ?? '';
    if (!ctx.has(name)) fail(`graph output "${name}" is not computed by any node`);
    const v = ctx.value(name);
    const out = v.name === name ? v : ctx.emit('Identity', [v], {}, ctx.nodeName(undefined, 'Identity'), [name])[0];
    ctx.builder.output(out);
    checkDeclaredShape(output, out.shape, fail);
  }
  const irVersion = Number(model.irVersion ?? 0);
  const producer = [model.producerName, model.producerVersion].filter(Boolean).join(' ');
  return {
    graph: ctx.builder.build(),
    params: ctx.params,
    source: { file, format: `onnx (IR version ${irVersion}, opset ${opset}${producer ? `, from ${producer}` : ''})`, notes: ctx.notes },
  };
}

function declaredType(v: ValueInfoProto, what: string, fail: (p: string) => never): [NonNullable<ReturnType<typeof irDtype>>, Dim[]] {
  const tensor = v.type?.tensorType;
  if (!tensor) return fail(`${what} "${v.name}" has no tensor type`);
  const dtype = irDtype(tensor.elemType ?? 0);
  if (!dtype) return fail(`${what} "${v.name}" has element type ${tensor.elemType}, the IR has float32, int64 and bool`);
  if (!tensor.shape) return fail(`${what} "${v.name}" has no shape`);
  const shape = (tensor.shape.dim ?? []).map((d, i): Dim => {
    if (d.dimValue !== undefined && Number(d.dimValue) >= 0 && !d.dimParam) return Number(d.dimValue);
    if (d.dimParam) return d.dimParam;
    // An unnamed unknown dim: the batch, by convention of exporters that leave it blank.
    if (i === 0) return 'N';
    return fail(`${what} "${v.name}" has an unknown dim ${i} (only the first may be unknown)`);
  });
  return [dtype, shape];
}

function checkDeclaredShape(v: ValueInfoProto, computed: readonly Dim[], fail: (p: string) => never): void {
  const dims = v.type?.tensorType?.shape?.dim;
  if (!dims) return;
  const declared = dims.map((d) => (d.dimParam ? d.dimParam : d.dimValue !== undefined ? Number(d.dimValue) : '?'));
  const clash = declared.length !== computed.length || declared.some((d, i) => typeof d === 'number' && typeof computed[i] === 'number' && d !== computed[i]);
  if (clash) fail(`inconsistent shapes: output "${v.name}" is declared ${formatShape(declared)} but computes to ${formatShape(computed)}`);
}
