/**
 * @rank-collapse/rows: the row contract shared by the analysis (which produces the rows), the sweep store (which
 * keeps them) and the report (which draws them). Types and field constants only; no I/O.
 */
export { LAYER_ROW_FIELDS, COLLAPSE_FIELDS, ROW_CERTIFICATE_FIELDS, LAYER_KINDS, prefixed, type LayerRow, type LayerKind, type CollapseField } from './layer-row.js';
export {
  ANALYSIS_RECORD_FIELDS,
  extraRankField,
  type AnalysisRecordFields,
  type ExtraRankFields,
  type LayerRecord,
  type StoredLayerRecord,
} from './layer-record.js';
export { EPOCH_RECORD_FIELDS, EPOCH_COLUMN_FIELDS, weightNormField, storedEpochRecord, type EpochRecord, type StoredEpochRecord } from './epoch-record.js';
export { TRIAL_STATUSES, FINISHED_STATUSES, TRIAL_RECORD_FIELDS, type TrialStatus, type TrialRecord, type TrialConfigRecord } from './trial-record.js';
export {
  COMPRESSION_RESULT_FIELDS,
  compressionLabel,
  type CompressionResult,
  type CompressionChoice,
  type CompressedLayerRecord,
} from './compression-result.js';
