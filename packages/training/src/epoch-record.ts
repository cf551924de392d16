/** The epoch record is part of the row contract (`@rank-collapse/rows`); re-exported for this package's users. */
export type { EpochRecord } from '@rank-collapse/rows';
