/** @rank-collapse/models: Architectures as IR builders (MLP, VGG-style CNN, small ResNet) with seeded initialization and analyzable-layer taps. */
export {};
