import { DRY_RUN_IDS_MAX } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { capImpactIds, impactIds } from '../../src/coordinator/sessions/impact-ids.ts';

describe('dry-run id lists', () => {
  it('asks the statement for one id more than a dry run lists, so a cut list can be told from a full one', () => {
    expect(impactIds('terminated')).toBe(`ARRAY(SELECT id FROM terminated ORDER BY id LIMIT ${DRY_RUN_IDS_MAX + 1})::text[]`);
  });

  it('keeps a list of up to DRY_RUN_IDS_MAX ids whole, and cuts a longer one with truncated', () => {
    const ids = Array.from({ length: DRY_RUN_IDS_MAX + 1 }, (_, index) => `agentsess_${String(index).padStart(26, '0')}`);
    expect(capImpactIds(ids.slice(0, DRY_RUN_IDS_MAX))).toEqual({ ids: ids.slice(0, DRY_RUN_IDS_MAX), truncated: false });
    expect(capImpactIds(ids)).toEqual({ ids: ids.slice(0, DRY_RUN_IDS_MAX), truncated: true });
    expect(capImpactIds([])).toEqual({ ids: [], truncated: false });
  });
});
