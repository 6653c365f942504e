import { describe, expect, it } from 'vitest';
import { createStyle } from '../src/style.ts';
import { renderTree } from '../src/tree-view.ts';

describe('renderTree', () => {
  it('draws parent links as a tree, children in the order given', () => {
    const sessions = [
      { id: 's1', parent_id: null, status: 'active' },
      { id: 's2', parent_id: 's1', status: 'active' },
      { id: 's3', parent_id: 's2', status: 'terminated' },
      { id: 's4', parent_id: 's1', status: 'suspended' },
      { id: 's5', parent_id: 's4', status: 'active' },
    ];
    const names: Record<string, string> = { s1: 'root', s2: 'a', s3: 'a1', s4: 'b', s5: 'b1' };
    expect(renderTree(sessions, { style: createStyle(false), name: (session) => names[String(session.id)]! })).toBe(
      ['root  s1  active', '├── a  s2  active', '│   └── a1  s3  terminated', '└── b  s4  suspended', '    └── b1  s5  active', ''].join('\n'),
    );
  });

  it('treats a session whose parent is not in the list as a root', () => {
    const text = renderTree([{ id: 'x', parent_id: 'gone', status: 'active' }], { style: createStyle(false), name: () => 'orphan' });
    expect(text).toBe('orphan  x  active\n');
  });
});
