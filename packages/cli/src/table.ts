import { styleStatus, type Style } from './style.ts';

/** What a table cell shows for a missing value (`parent_id` of a root, `terminated_at` of a live session). */
export const EMPTY_CELL = '-';

/** Plain text of a cell: null and undefined become `-`, objects become compact JSON. */
export function cellText(value: unknown): string {
  if (value === null || value === undefined || value === '') return EMPTY_CELL;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * Renders rows as columns aligned on their plain-text width, two spaces apart, header first.
 * Colour is applied after padding so escape codes never skew the alignment; the last column is
 * not padded, so lines carry no trailing spaces.
 */
export function renderTable(columns: readonly string[], rows: ReadonlyArray<Record<string, unknown>>, style: Style): string {
  const cells = rows.map((row) => columns.map((column) => cellText(row[column])));
  const widths = columns.map((column, index) => Math.max(column.length, ...cells.map((line) => line[index]!.length)));
  const last = columns.length - 1;
  const header = columns.map((column, index) => style.bold(index === last ? column : column.padEnd(widths[index]!))).join('  ');
  const body = cells.map((line) =>
    line
      .map((text, index) => {
        const padded = index === last ? text : text.padEnd(widths[index]!);
        return decorate(style, columns[index]!, text, padded);
      })
      .join('  '),
  );
  return [header, ...body].join('\n') + '\n';
}

function decorate(style: Style, column: string, text: string, padded: string): string {
  const padding = padded.slice(text.length);
  if (text === EMPTY_CELL) return style.dim(text) + padding;
  if (column === 'status') return styleStatus(style, text) + padding;
  return padded;
}
