/** @rank-collapse/datasets: MNIST, Fashion-MNIST, tiny built-in and synthetic Gaussian-mixture datasets; IDX parsing, balanced subsets, batching. */
export {};
