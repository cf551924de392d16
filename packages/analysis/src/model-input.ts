/**
 * Checks that a data set can feed a model input, and says how to fix it when it cannot: which input (when
 * there are several), which shape, layout and channel count the model expects, and the `--preprocess` setting
 * that would turn the data into it.
 */
import { GraphError } from '@rank-collapse/backend';

export interface ModelInputInfo {
  readonly name: string;
  readonly dims: readonly (number | string | null)[];
  readonly type: string;
}

/** The input chosen and the per-sample shape to feed it (symbolic dims past the batch bound from the data). */
export interface BoundInput {
  readonly name: string;
  readonly sampleShape: readonly number[];
}

const size = (shape: readonly number[]): number => shape.reduce((p, d) => p * d, 1);

/**
 * Picks the data input of a model and binds its shape to the data's samples.
 * @throws GraphError naming the inputs when there are several and none is chosen (ask for `--input NAME`),
 * when the chosen one does not exist, is not float, or its shape cannot take the data's samples (with the
 * expected shape and the `--preprocess layout=…` that fixes a layout mismatch, or why no setting can).
 */
export function bindModelInput(model: string, inputs: readonly ModelInputInfo[], dataSampleShape: readonly number[], chosen?: string): BoundInput {
  const list = inputs.map((i) => `"${i.name}" [${i.dims.map((d) => d ?? '?').join(', ')}] ${i.type}`).join(', ');
  if (inputs.length === 0) throw new GraphError(`${model}: the model has no data input`);
  let input = inputs[0];
  if (chosen !== undefined) {
    const found = inputs.find((i) => i.name === chosen);
    if (!found) throw new GraphError(`${model}: no input named "${chosen}"; its inputs are ${list}`);
    input = found;
  } else if (inputs.length > 1) {
    throw new GraphError(`${model}: the model has ${inputs.length} inputs (${list}); say which one is the data with --input NAME (the others must have defaults)`);
  }
  if (input.type !== 'float') throw new GraphError(`${model}: input "${input.name}" is ${input.type}; the data are float images, so it cannot be fed (choose another with --input NAME)`);
  const wanted = input.dims.slice(1);
  const dataSize = size(dataSampleShape);
  const expected = `[N, ${wanted.map((d) => d ?? '?').join(', ')}]`;
  const mismatch = (why: string): never => {
    throw new GraphError(`${model}: input "${input.name}" expects ${expected}; the data's samples are [${dataSampleShape.join(', ')}]: ${why}`);
  };
  if (input.dims.length === 0) mismatch('a scalar input cannot take a batch');
  if (wanted.every((d) => typeof d === 'number')) {
    const shape = wanted as number[];
    if (shape.length === dataSampleShape.length && shape.every((d, i) => d === dataSampleShape[i])) return { name: input.name, sampleShape: shape };
    // Flat samples carry no layout: they are the row-major values of whatever shape the model takes (as `analyze` feeds them).
    if (size(shape) === dataSize && dataSampleShape.length === 1) return { name: input.name, sampleShape: shape };
    if (size(shape) === dataSize) return mismatch(`same size, another layout: set --preprocess layout=${layoutFor(shape, dataSampleShape)}`);
    const channelsWanted = channelsOf(shape);
    const channelsHave = dataSampleShape.length === 3 ? dataSampleShape[0] : null;
    if (channelsWanted !== null && channelsHave !== null && channelsWanted !== channelsHave) {
      return mismatch(`the model wants ${channelsWanted} channels, the data has ${channelsHave}; no --preprocess setting changes the channel count (use data with ${channelsWanted} channels)`);
    }
    return mismatch(`${size(shape)} values per sample against ${dataSize}; resize the data to the model's resolution (--preprocess does not resize)`);
  }
  // Symbolic dims past the batch: bind them from the data when the ranks agree and the fixed dims match.
  if (wanted.length === dataSampleShape.length && wanted.every((d, i) => typeof d !== 'number' || d === dataSampleShape[i])) {
    return { name: input.name, sampleShape: [...dataSampleShape] };
  }
  if (wanted.length === 1) return { name: input.name, sampleShape: [dataSize] };
  return mismatch(`the ranks or fixed dims differ; set --preprocess layout=nchw|nhwc|flat to match`);
}

function layoutFor(shape: readonly number[], data: readonly number[]): string {
  if (shape.length === 1) return 'flat';
  if (shape.length === 3 && shape[2] <= 4 && shape[0] > 4) return 'nhwc (images as [H, W, C])';
  if (shape.length === 3 && data.length === 3) return `nchw (images as [C, H, W]), or layout=flat when the data's values are already in the model's order`;
  return 'flat (the values then fill the model\'s shape in row-major order)';
}

const channelsOf = (shape: readonly number[]): number | null => (shape.length === 3 ? (shape[0] <= 4 ? shape[0] : shape[2] <= 4 ? shape[2] : null) : null);
