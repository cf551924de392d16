/** @rank-collapse/backend: The backend contract: graph IR, builder, shape inference, symbolic autodiff, the Backend interface; ./testing has the float64 reference backend and the conformance suite. */
export {};
