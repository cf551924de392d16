import { RankCollapseError } from '@rank-collapse/backend';

/** A model config that does not validate: the message lists each offending field and what was expected. */
export class ModelConfigError extends RankCollapseError {
  constructor(
    readonly issues: readonly string[],
    options?: { cause?: unknown },
  ) {
    super('MODEL_CONFIG', `invalid model config: ${issues.join('; ')}`, options);
  }
}
