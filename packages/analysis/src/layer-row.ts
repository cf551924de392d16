/**
 * The per-layer row contract lives in `@rank-collapse/rows` (fields are added there); re-exported here so
 * that this package's modules and its users keep their imports.
 */
export { COLLAPSE_FIELDS, LAYER_KINDS, LAYER_ROW_FIELDS, ROW_CERTIFICATE_FIELDS, prefixed, type CollapseField, type LayerKind, type LayerRow } from '@rank-collapse/rows';
