/**
 * The code of a run worker thread, evaluated as a CommonJS script (`new Worker(code, { eval: true })`), so it runs
 * the same from TypeScript sources and from the build. It loads onnxruntime-node from the path the parent
 * resolved, keeps sessions and cached resident tensors by id, and answers each request with one message;
 * output buffers are transferred, not copied.
 */
export const RUN_WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const ort = require(workerData.ortPath);
const sessions = new Map();
const residents = new Map();
parentPort.on('message', async (m) => {
  try {
    if (m.kind === 'drop') { residents.delete(m.resident); return; }
    if (m.kind === 'release') {
      const session = sessions.get(m.model);
      sessions.delete(m.model);
      if (session) await session.release();
      return;
    }
    if (m.kind === 'load') {
      sessions.set(m.model, await ort.InferenceSession.create(m.bytes, m.options));
      parentPort.postMessage({ id: m.id, result: {} });
      return;
    }
    const feeds = {};
    for (const f of m.feeds) {
      if (f.resident === undefined) feeds[f.name] = new ort.Tensor(f.type, f.data, f.dims);
      else {
        if (f.data) residents.set(f.resident, new ort.Tensor(f.type, f.data, f.dims));
        const cached = residents.get(f.resident);
        if (!cached) throw new Error('resident tensor ' + f.resident + ' (feed "' + f.name + '") is not in this worker');
        feeds[f.name] = cached;
      }
    }
    const session = sessions.get(m.model);
    if (!session) throw new Error('no session for model ' + m.model);
    const out = await session.run(feeds, m.fetch);
    const result = {};
    const transfer = new Set();
    for (const [name, t] of Object.entries(out)) {
      result[name] = { type: t.type, dims: t.dims, data: t.data };
      transfer.add(t.data.buffer);
    }
    parentPort.postMessage({ id: m.id, result }, [...transfer]);
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: error && error.message ? error.message : String(error) });
  }
});
`;
