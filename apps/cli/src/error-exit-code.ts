import { BackendUnavailableError, GraphError, ModelFileError, UnsupportedError } from '@rank-collapse/backend';
import { DatasetError } from '@rank-collapse/datasets';
import { ModelConfigError } from '@rank-collapse/models';
import { SweepConfigError, SweepStoreError, fileSystemErrorText } from '@rank-collapse/sweep';
import { TrainingError } from '@rank-collapse/training';
import { CliError } from './cli-error.js';
import { EXIT_CODES, type ExitCode } from './exit-codes.js';

/**
 * The exit code an error ends the command with: configuration errors (sweep file, model config, training
 * options, dataset options) 2, an unavailable backend 4, a command-level error its own code, anything else 1.
 */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof CliError) return error.exitCode;
  if (error instanceof SweepConfigError || error instanceof ModelConfigError) return EXIT_CODES.usage;
  if (error instanceof SweepStoreError && error.code === 'other-sweep') return EXIT_CODES.usage;
  if (error instanceof TrainingError && /invalid training options/.test(error.message)) return EXIT_CODES.usage;
  if (error instanceof DatasetError && error.code === 'invalid-options') return EXIT_CODES.usage;
  if (error instanceof BackendUnavailableError) return EXIT_CODES.backendUnavailable;
  return EXIT_CODES.failure;
}

/** A one-paragraph message for stderr; library errors keep their class name so scripts can tell them apart. */
export function errorMessageOf(error: unknown): string {
  if (error instanceof CliError || error instanceof SweepConfigError || error instanceof SweepStoreError) return error.message;
  // A read-only folder, missing permissions or a full disk: say so in words, with the path.
  const fileSystem = fileSystemErrorText(error);
  if (fileSystem) return fileSystem;
  if (error instanceof ModelFileError || error instanceof GraphError || error instanceof UnsupportedError || error instanceof Error) {
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}
