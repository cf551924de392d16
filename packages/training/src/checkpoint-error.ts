import { RankCollapseError } from '@rank-collapse/backend';

/** A checkpoint file that cannot be read or written: names the file and what is wrong. */
export class CheckpointError extends RankCollapseError {
  constructor(
    readonly file: string,
    problem: string,
    options?: { cause?: unknown },
  ) {
    super('CHECKPOINT', `${file}: ${problem}`, options);
  }
}
