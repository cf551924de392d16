import { BackendUnavailableError, RankCollapseError, type Backend } from '@rank-collapse/backend';
import { CliError } from '../cli-error.js';
import { EXIT_CODES } from '../exit-codes.js';
import { AUTO_ORDER, createBackend, type BackendChoice, type BackendSettings, type ConcreteBackendName } from './backend-factories.js';

/** No requested backend can start here. Lists every backend tried and why it failed (exit code 4). */
export class NoBackendError extends CliError {
  constructor(readonly failures: ReadonlyArray<{ backend: ConcreteBackendName; reason: string }>) {
    super(
      `no backend can run here:\n${failures.map((f) => `  ${f.backend}: ${f.reason}`).join('\n')}\n(run \`rank-collapse backends\` for details)`,
      EXIT_CODES.backendUnavailable,
      'BACKEND_UNAVAILABLE',
    );
    this.name = 'NoBackendError';
  }
}

const why = (error: unknown): string => {
  if (error instanceof BackendUnavailableError) return error.message.replace(/^\S+ is not available: /, '');
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
};

/**
 * Creates the backend `choice` names; `auto` tries onnx, then tfjs, and takes the first that starts.
 * `create` makes one backend (default: the real factories; tests inject failures).
 * @throws NoBackendError naming every backend tried and why each could not start.
 */
export async function selectBackend(
  choice: BackendChoice,
  settings: BackendSettings = {},
  create: (name: ConcreteBackendName, settings: BackendSettings) => Promise<Backend> = createBackend,
): Promise<Backend> {
  const order = choice === 'auto' ? AUTO_ORDER : [choice];
  const failures: Array<{ backend: ConcreteBackendName; reason: string }> = [];
  for (const name of order) {
    try {
      return await create(name, settings);
    } catch (error) {
      if (!(error instanceof RankCollapseError) && !(error instanceof Error)) throw error;
      failures.push({ backend: name, reason: why(error) });
    }
  }
  throw new NoBackendError(failures);
}

/**
 * A per-process cache of backends by choice, so every trial of a worker shares one backend (one set of
 * compiled sessions) instead of starting a runtime per trial.
 */
export function createBackendCache(settings: BackendSettings = {}): (choice: BackendChoice) => Promise<Backend> {
  const cache = new Map<BackendChoice, Promise<Backend>>();
  return (choice) => {
    let backend = cache.get(choice);
    if (!backend) {
      backend = selectBackend(choice, settings);
      backend.catch(() => cache.delete(choice));
      cache.set(choice, backend);
    }
    return backend;
  };
}
