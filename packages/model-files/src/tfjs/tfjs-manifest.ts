/**
 * The weights manifest of a TF.js model.json (Layers and Graph models alike): groups of shard files, each
 * group's bytes the concatenation of its shards, cut into its weights in order.
 */
import { ModelFileError } from '@rank-collapse/backend';

/** Stored value types of a manifest weight: the logical dtype, or the quantization dtype when quantized. */
export const TFJS_DTYPE_BYTES: Readonly<Record<string, number>> = { float32: 4, float16: 2, int32: 4, bool: 1, uint8: 1, uint16: 2 };

export interface TfjsQuantization {
  /** uint8 and uint16 are affine (value = q·scale + min); float16 is half precision. */
  readonly dtype: 'uint8' | 'uint16' | 'float16';
  readonly scale?: number;
  readonly min?: number;
}

export interface TfjsWeightSpec {
  /** As written (a trailing `:0` kept). */
  readonly name: string;
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'float16' | 'int32' | 'bool' | 'string';
  readonly quantization?: TfjsQuantization;
}

export interface TfjsWeightGroup {
  readonly paths: readonly string[];
  readonly weights: readonly TfjsWeightSpec[];
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Validates `weightsManifest` of a model.json: groups with string paths and weights with a name, a shape of
 * non-negative integers and a known dtype (quantization uint8/uint16 with a finite scale and min, or float16).
 * @param manifest the `weightsManifest` value (undefined: no weights)
 * @throws ModelFileError naming `modelFile`, the group and the weight, saying what was expected.
 */
export function parseTfjsManifest(modelFile: string, manifest: unknown): TfjsWeightGroup[] {
  if (manifest === undefined || manifest === null) return [];
  if (!Array.isArray(manifest)) throw new ModelFileError(modelFile, '"weightsManifest" is not a list of weight groups');
  return manifest.map((group: unknown, g: number): TfjsWeightGroup => {
    if (!isObject(group) || !Array.isArray(group.paths) || !Array.isArray(group.weights)) throw new ModelFileError(modelFile, `weightsManifest[${g}] needs "paths" and "weights" lists`);
    const paths = group.paths.map((p: unknown, i: number) => {
      if (typeof p !== 'string') throw new ModelFileError(modelFile, `weightsManifest[${g}].paths[${i}] is not a string`);
      return p;
    });
    const weights = group.weights.map((w: unknown, i: number) => weightSpec(modelFile, w, `weightsManifest[${g}].weights[${i}]`));
    return { paths, weights };
  });
}

function weightSpec(modelFile: string, w: unknown, where: string): TfjsWeightSpec {
  if (!isObject(w) || typeof w.name !== 'string') throw new ModelFileError(modelFile, `${where} has no "name"`);
  const name = w.name;
  if (!Array.isArray(w.shape) || !w.shape.every((d) => Number.isSafeInteger(d) && (d as number) >= 0)) {
    throw new ModelFileError(modelFile, `weight "${name}" has shape ${JSON.stringify(w.shape)}; expected a list of non-negative integers`);
  }
  const dtype = w.dtype;
  if (dtype !== 'float32' && dtype !== 'float16' && dtype !== 'int32' && dtype !== 'bool' && dtype !== 'string') {
    throw new ModelFileError(modelFile, `weight "${name}" has dtype ${JSON.stringify(dtype)}; expected float32, float16, int32, bool or string`);
  }
  const spec: TfjsWeightSpec = { name, shape: w.shape as number[], dtype };
  if (w.quantization === undefined || w.quantization === null) return spec;
  const q = w.quantization;
  if (!isObject(q) || (q.dtype !== 'uint8' && q.dtype !== 'uint16' && q.dtype !== 'float16')) {
    throw new ModelFileError(modelFile, `weight "${name}" is quantized as ${JSON.stringify(isObject(q) ? q.dtype : q)}; expected uint8, uint16 or float16`);
  }
  if (q.dtype === 'float16') {
    if (dtype !== 'float32') throw new ModelFileError(modelFile, `weight "${name}" is a ${dtype} quantized as float16; float16 quantization is for float32 weights`);
    return { ...spec, quantization: { dtype: 'float16' } };
  }
  if (dtype !== 'float32' && dtype !== 'int32') throw new ModelFileError(modelFile, `weight "${name}" is a ${dtype} quantized as ${q.dtype}; affine quantization is for float32 and int32 weights`);
  if (typeof q.scale !== 'number' || !Number.isFinite(q.scale) || typeof q.min !== 'number' || !Number.isFinite(q.min)) {
    throw new ModelFileError(modelFile, `weight "${name}" is quantized as ${q.dtype} without a finite "scale" and "min"`);
  }
  return { ...spec, quantization: { dtype: q.dtype, scale: q.scale, min: q.min } };
}

/** Number of values of a shape; the shape's dims are already checked to be safe integers. */
export function valueCount(shape: readonly number[]): number {
  return shape.reduce((a, d) => a * d, 1);
}
