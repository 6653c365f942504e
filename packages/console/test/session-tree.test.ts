import { describe, expect, it } from 'vitest';
import { addSession, emptyAuthority, sessionFromRow } from '../src/model/authority-state.ts';
import { subtreeIds, treeItemLabel, treeRoots, visibleTreeRows } from '../src/model/session-tree.ts';
import { sessionRow } from './fixtures.ts';

function state(rows: Array<[string, string | null]>) {
  const authority = emptyAuthority();
  for (const [id, parent] of rows) addSession(authority, sessionFromRow(sessionRow(id, parent, { depth: parent === null ? 0 : 1 })));
  return authority;
}

describe('session tree from rows', () => {
  it('nests children under parents in spawn order, roots first, depth first', () => {
    // Listed out of order: children before parents, siblings reversed.
    const authority = state([
      ['agentsess_03', 'agentsess_01'],
      ['agentsess_02', 'agentsess_01'],
      ['agentsess_04', 'agentsess_02'],
      ['agentsess_01', null],
      ['agentsess_05', null],
    ]);
    const rows = visibleTreeRows(authority, new Set());
    expect(rows.map((row) => [row.session.id, row.level])).toEqual([
      ['agentsess_01', 1],
      ['agentsess_02', 2],
      ['agentsess_04', 3],
      ['agentsess_03', 2],
      ['agentsess_05', 1],
    ]);
    expect(rows[0]).toMatchObject({ hasChildren: true, expanded: true });
    expect(rows[2]).toMatchObject({ hasChildren: false });
  });

  it('hides a collapsed subtree and keeps the collapsed parent', () => {
    const authority = state([
      ['agentsess_01', null],
      ['agentsess_02', 'agentsess_01'],
      ['agentsess_03', 'agentsess_02'],
    ]);
    const rows = visibleTreeRows(authority, new Set(['agentsess_02']));
    expect(rows.map((row) => row.session.id)).toEqual(['agentsess_01', 'agentsess_02']);
    expect(rows[1]).toMatchObject({ hasChildren: true, expanded: false });
  });

  it('treats a session whose parent is not listed as a root', () => {
    const authority = state([['agentsess_09', 'agentsess_gone']]);
    expect(treeRoots(authority)).toEqual(['agentsess_09']);
  });

  it('handles 500 sessions and a 32-deep chain', () => {
    const rows: Array<[string, string | null]> = [['agentsess_000', null]];
    for (let index = 1; index < 500; index += 1) {
      const parent = index <= 32 ? `agentsess_${String(index - 1).padStart(3, '0')}` : 'agentsess_000';
      rows.push([`agentsess_${String(index).padStart(3, '0')}`, parent]);
    }
    const authority = state(rows);
    const visible = visibleTreeRows(authority, new Set());
    expect(visible).toHaveLength(500);
    expect(Math.max(...visible.map((row) => row.level))).toBe(33);
    expect(subtreeIds(authority, 'agentsess_030')).toEqual(['agentsess_030', 'agentsess_031', 'agentsess_032']);
  });

  it('names a tree item starting with its session id', () => {
    const session = sessionFromRow(sessionRow('agentsess_01', null, { application_id: 'app_x', depth: 1, labels: { blueprint: 'researcher' } }));
    expect(treeItemLabel(session)).toBe('agentsess_01 running app_x depth 1 instance blueprint researcher');
    expect(treeItemLabel({ ...session, status: 'terminated' })).toMatch(/^agentsess_01 terminated/);
  });
});
