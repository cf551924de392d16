/**
 * Model configs as plain, validated data (a sweep file can describe them). Each schema fills in defaults;
 * `parseModelConfig` turns validation failures into a ModelConfigError naming the field.
 */
import { z } from 'zod';
import { ModelConfigError } from './model-config-error.js';

const positiveInt = z.number().int().positive();

/** Nonlinearities: relu, leaky-relu (slope 0.01), tanh, sigmoid. */
export const activationSchema = z.enum(['relu', 'leaky-relu', 'tanh', 'sigmoid']);
export type Activation = z.infer<typeof activationSchema>;

/**
 * He/Kaiming normal (std = gain/√fan_in), Xavier/Glorot normal (std = √(2/(fan_in + fan_out))), or `torch`:
 * PyTorch's default nn.Linear/nn.Conv2d init (kaiming_uniform with a = √5, i.e. W ~ U(−1/√fan_in, 1/√fan_in), and
 * biases U(−1/√fan_in, 1/√fan_in)).
 */
export const initSchemeSchema = z.enum(['he', 'xavier', 'torch']);
export type InitScheme = z.infer<typeof initSchemeSchema>;

const common = {
  /** Shape of one sample, without the batch dim, e.g. [784] or [1, 28, 28]. */
  inputShape: z.array(positiveInt).min(1),
  /** K, the number of classes (width of the logits). */
  numClasses: z.number().int().min(2),
  activation: activationSchema.default('relu'),
  /** Default: 'he' for relu and leaky-relu, 'xavier' for tanh and sigmoid. */
  init: initSchemeSchema.optional(),
  /** Biases on dense layers, and on conv layers not followed by batch norm. */
  bias: z.boolean().default(true),
};

const imageShape = z.array(positiveInt).length(3, 'must be [channels, height, width]');

/** Fully connected network: input → hidden widths → K logits. */
export const mlpConfigSchema = z.object({
  kind: z.literal('mlp'),
  ...common,
  /** Widths of the hidden layers, e.g. [512, 512, 512]; [] gives a linear classifier. */
  hidden: z.array(positiveInt),
});

/** VGG-style CNN: blocks of 3×3 convs (stride 1, padding 1), each block followed by 2×2 pooling; then a dense head. */
export const cnnConfigSchema = z.object({
  kind: z.literal('cnn'),
  ...common,
  inputShape: imageShape,
  blocks: z
    .array(
      z.object({
        /** Output channels of each conv of the block. */
        channels: z.array(positiveInt).min(1),
        /** 2×2 pooling with stride 2 after the block, or none. */
        pool: z.enum(['max', 'avg', 'none']).default('max'),
      }),
    )
    .min(1),
  /** Widths of hidden dense layers after flattening ([] → a single dense classifier). */
  hidden: z.array(positiveInt).default([]),
  /** Batch norm after every conv (conv biases are then dropped). */
  batchNorm: z.boolean().default(false),
});

/** Small ResNet: a 3×3 stem conv, stages of basic blocks (two 3×3 convs + shortcut), global average pooling, dense head. */
export const resnetConfigSchema = z.object({
  kind: z.literal('resnet'),
  ...common,
  inputShape: imageShape,
  /** Channels of the stem conv. */
  stem: positiveInt.default(16),
  stages: z
    .array(
      z.object({
        channels: positiveInt,
        /** Number of basic blocks. */
        blocks: positiveInt.default(1),
        /** Stride of the first block (2 halves the resolution; the shortcut is then a strided 1×1 conv). */
        stride: z.union([z.literal(1), z.literal(2)]).default(1),
      }),
    )
    .min(1),
  /** Batch norm after every conv (conv biases are then dropped). */
  batchNorm: z.boolean().default(true),
});

export const modelConfigSchema = z.discriminatedUnion('kind', [mlpConfigSchema, cnnConfigSchema, resnetConfigSchema]);

/** A validated config with defaults filled in. */
export type ModelConfig = z.output<typeof modelConfigSchema>;
export type MlpConfig = z.output<typeof mlpConfigSchema>;
export type CnnConfig = z.output<typeof cnnConfigSchema>;
export type ResnetConfig = z.output<typeof resnetConfigSchema>;
/** What a user writes: defaulted fields may be omitted. */
export type ModelConfigInput = z.input<typeof modelConfigSchema>;
/** Per-architecture input: `kind` may be omitted, the builder sets it. */
export type MlpConfigInput = Omit<z.input<typeof mlpConfigSchema>, 'kind'> & { kind?: 'mlp' };
export type CnnConfigInput = Omit<z.input<typeof cnnConfigSchema>, 'kind'> & { kind?: 'cnn' };
export type ResnetConfigInput = Omit<z.input<typeof resnetConfigSchema>, 'kind'> & { kind?: 'resnet' };

/**
 * Validates a model config (e.g. from a sweep file) and fills in defaults.
 * @throws ModelConfigError listing each invalid field by its path and what was expected.
 */
export function parseModelConfig(value: unknown): ModelConfig {
  const result = modelConfigSchema.safeParse(value);
  if (result.success) return result.data;
  throw new ModelConfigError(
    result.error.issues.map((issue) => `${issue.path.length ? issue.path.join('.') : '(config)'}: ${issue.message}`),
    { cause: result.error },
  );
}
