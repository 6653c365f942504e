import { describe, expect, it } from 'vitest';
import { createStyle, colourEnabled } from '../src/style.ts';
import { cellText, renderTable } from '../src/table.ts';

describe('renderTable', () => {
  const rows = [
    { id: 'agentsess_a', status: 'active', parent_id: null, depth: 0 },
    { id: 'agentsess_long_id', status: 'terminated', parent_id: 'agentsess_a', depth: 1 },
  ];

  it('aligns columns on the widest cell, two spaces apart, no trailing spaces', () => {
    expect(renderTable(['id', 'parent_id', 'status', 'depth'], rows, createStyle(false))).toBe(
      [
        'id                 parent_id    status      depth',
        'agentsess_a        -            active      0',
        'agentsess_long_id  agentsess_a  terminated  1',
        '',
      ].join('\n'),
    );
  });

  it('keeps the alignment when colour adds escape codes', () => {
    const coloured = renderTable(['id', 'status', 'depth'], rows, createStyle(true));
    const stripped = coloured.replaceAll(new RegExp(String.raw`\u001B\[\d+m`, 'g'), '');
    expect(stripped).toBe(renderTable(['id', 'status', 'depth'], rows, createStyle(false)));
    expect(coloured).toContain('\u001B[31mterminated\u001B[39m');
  });

  it('prints only the header for no rows', () => {
    expect(renderTable(['id', 'status'], [], createStyle(false))).toBe('id  status\n');
  });
});

describe('cellText', () => {
  it('shows missing values as - and structures as compact JSON', () => {
    expect([cellText(null), cellText(undefined), cellText(''), cellText(3), cellText(['a', 'b'])]).toEqual(['-', '-', '-', '3', '["a","b"]']);
  });
});

describe('colourEnabled', () => {
  it('needs a terminal and no non-empty NO_COLOR', () => {
    expect(colourEnabled(true, {})).toBe(true);
    expect(colourEnabled(false, {})).toBe(false);
    expect(colourEnabled(true, { NO_COLOR: '1' })).toBe(false);
    expect(colourEnabled(true, { NO_COLOR: '' })).toBe(true);
  });
});
