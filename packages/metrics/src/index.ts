/** @rank-collapse/metrics: Pure float64 rank and neural-collapse metrics: singular values, ranks, TCV, NC1-NC4, certificate terms. */
export {};
