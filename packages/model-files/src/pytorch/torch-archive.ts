/**
 * The zip archive torch.save writes (`<archive>/data.pkl`, `<archive>/data/<key>` per storage,
 * `<archive>/byteorder`, `<archive>/version`), read by random access: the central directory once, then any
 * byte range of one entry at a time.
 */
import type { Readable } from 'node:stream';
import { ModelFileError } from '@rank-collapse/backend';
import yauzl from 'yauzl';

/** Most entries read from a central directory (a state dict has one per storage). */
const MAX_ENTRIES = 1_000_000;

/** An opened torch.save archive. Close it when done. */
export interface TorchArchive {
  /** The top folder every entry is in (`archive`, or the file's stem for PyTorch 1.x). */
  readonly prefix: string;
  /** The entry `<prefix>/<name>`, if present. */
  entry(name: string): yauzl.Entry | undefined;
  /** Whether any entry's path starts with `<prefix>/<folder>/`. */
  hasFolder(folder: string): boolean;
  /**
   * Bytes [start, end) of the entry's content. The buffer is allocated only after the zip reader has checked
   * that the entry's data lies within the file; compressed entries are inflated and cut to the range.
   */
  read(entry: yauzl.Entry, start: number, end: number): Promise<Uint8Array>;
  close(): void;
}

/**
 * @throws ModelFileError naming the file when it is not a readable zip or has no `<folder>/data.pkl`
 */
export async function openTorchArchive(file: string): Promise<TorchArchive> {
  let zip: yauzl.ZipFile;
  try {
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: false }, (error, z) => (error ? reject(error) : resolve(z as yauzl.ZipFile))),
    );
  } catch (error) {
    throw new ModelFileError(file, `is not a readable zip archive (${(error as Error).message})`, { cause: error });
  }
  const entries = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        if (entries.size >= MAX_ENTRIES) return reject(new Error(`more than ${MAX_ENTRIES} entries`));
        entries.set(entry.fileName, entry);
        zip.readEntry();
      });
      zip.once('end', () => resolve());
      zip.once('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw new ModelFileError(file, `has an unreadable zip directory (${(error as Error).message})`, { cause: error });
  }
  // torch.save puts everything in one top folder; its pickle is <folder>/data.pkl.
  const pickle = [...entries.keys()].find((name) => /^[^/]+\/data\.pkl$/.test(name));
  if (!pickle) {
    zip.close();
    throw new ModelFileError(file, 'is a zip without <archive>/data.pkl: not a checkpoint written by torch.save');
  }
  const prefix = pickle.slice(0, pickle.indexOf('/'));
  return {
    prefix,
    entry: (name) => entries.get(`${prefix}/${name}`),
    hasFolder: (folder) => [...entries.keys()].some((name) => name.startsWith(`${prefix}/${folder}/`)),
    read: (entry, start, end) => readRange(zip, entry, start, end),
    close: () => zip.close(),
  };
}

async function readRange(zip: yauzl.ZipFile, entry: yauzl.Entry, start: number, end: number): Promise<Uint8Array> {
  if (!(start >= 0 && end >= start && end <= entry.uncompressedSize)) throw new RangeError(`bytes ${start}–${end} outside the entry's ${entry.uncompressedSize}`);
  if (end === start) return new Uint8Array(0);
  const stored = entry.compressionMethod === 0 && !entry.isEncrypted();
  // The typings predate yauzl 3's decodeFileData; a stored entry can be read from any offset.
  const options = (stored ? { decodeFileData: false, start, end } : {}) as unknown as yauzl.ZipFileOptions;
  const stream = await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, options, (error, s) => (error ? reject(error) : resolve(s))));
  if (stored) {
    const out = new Uint8Array(end - start);
    let at = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (at + chunk.length > out.length) throw new RangeError('the entry gave more bytes than asked for');
      out.set(chunk, at);
      at += chunk.length;
    }
    if (at !== out.length) throw new RangeError(`the entry ended after ${at} of ${out.length} bytes`);
    return out;
  }
  // Inflated data: keep only [start, end), growing with what actually arrives (the claimed size may lie).
  const parts: Buffer[] = [];
  let position = 0;
  let kept = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const from = Math.max(0, start - position);
    const to = Math.min(chunk.length, end - position);
    if (to > from) {
      parts.push(chunk.subarray(from, to));
      kept += to - from;
    }
    position += chunk.length;
    if (position >= end) {
      stream.destroy();
      break;
    }
  }
  if (kept !== end - start) throw new RangeError(`the entry ended after ${kept} of ${end - start} bytes`);
  const out = new Uint8Array(kept);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
