/** @rank-collapse/analysis: The collapse analysis: probe graphs on any backend, streaming per-class accumulators, one tidy row per layer; low-rank compression. */
export {};
