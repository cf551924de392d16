/** @rank-collapse/cli: The rank-collapse command: the composition root that picks backends and runs sweeps, analyses, compression and reports. */
export {};
