/** Test helper: true when two typed arrays hold identical bytes (much faster than a deep equality on large arrays). */
export function sameValues(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}
