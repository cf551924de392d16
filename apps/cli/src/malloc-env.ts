/**
 * glibc malloc settings the `rank-collapse` executable starts node with (through its `#!/usr/bin/env -S`
 * line, and the workspace's `rank-collapse` script). onnxruntime-node copies every output of a run into a
 * fresh JS ArrayBuffer; with glibc's defaults large buffers come from mmap or are trimmed back to the system
 * once freed, so every run faults its output pages in again. A fixed 32 MiB mmap threshold and a 1 GiB trim
 * threshold keep freed buffers in the heap for the next run (the gain is measured in docs/performance.md).
 * glibc reads them at process start only, so they cannot be set from inside node. Other C libraries ignore them.
 */
export const MALLOC_ENV: Readonly<Record<string, string>> = {
  MALLOC_MMAP_THRESHOLD_: String(32 * 1024 * 1024),
  MALLOC_TRIM_THRESHOLD_: String(1024 * 1024 * 1024),
};
