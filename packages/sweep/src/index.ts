/** @rank-collapse/sweep: Sweep configs, grid expansion, trial identity, the SQLite store, in-process/worker/distributed executors and resumption. */
export {};
