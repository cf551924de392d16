/** Test helper: encodes an IDX file (big-endian header and elements) for crafting good and bad inputs. */
export function idxBytes(dtypeCode: number, dims: number[], values: ArrayLike<number> = []): Uint8Array {
  const sizes: Record<number, number> = { 0x08: 1, 0x09: 1, 0x0b: 2, 0x0c: 4, 0x0d: 4, 0x0e: 8 };
  const size = sizes[dtypeCode] ?? 1;
  const bytes = new Uint8Array(4 + 4 * dims.length + values.length * size);
  const view = new DataView(bytes.buffer);
  bytes[2] = dtypeCode;
  bytes[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const offset = 4 + 4 * dims.length;
  for (let i = 0; i < values.length; i++) {
    const at = offset + i * size;
    if (dtypeCode === 0x08) view.setUint8(at, values[i]);
    else if (dtypeCode === 0x09) view.setInt8(at, values[i]);
    else if (dtypeCode === 0x0b) view.setInt16(at, values[i], false);
    else if (dtypeCode === 0x0c) view.setInt32(at, values[i], false);
    else if (dtypeCode === 0x0d) view.setFloat32(at, values[i], false);
    else if (dtypeCode === 0x0e) view.setFloat64(at, values[i], false);
  }
  return bytes;
}

/** Test helper: a folder of MNIST-named IDX files with `count` tiny rows×cols images and the given labels. */
export function imageFiles(labels: number[], rows = 2, cols = 3, imageCount = labels.length) {
  const pixels = Array.from({ length: imageCount * rows * cols }, (_, i) => (i * 7) % 256);
  return {
    images: idxBytes(0x08, [imageCount, rows, cols], pixels),
    labels: idxBytes(0x08, [labels.length], labels),
    pixels,
  };
}
