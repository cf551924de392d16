import { LAYER_ROW_FIELDS } from '@rank-collapse/rows';
import { describe, expect, it } from 'vitest';
import { syntheticReportData } from './__fixtures__/synthetic-report-data.js';

describe('ReportData fixture', () => {
  it('has layer rows with exactly the analysis fields (plus the checkpoint epoch), so figures read real names', () => {
    const row = syntheticReportData().trials[0].layers[0];
    expect(Object.keys(row).sort()).toEqual([...LAYER_ROW_FIELDS, 'epoch'].sort());
  });
});
