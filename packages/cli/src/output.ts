import type { CliIo } from './io.ts';
import { colourEnabled, createStyle, styleStatus, type Style } from './style.ts';
import { cellText, renderTable } from './table.ts';

/** Human or `--json` rendering of command results, written to stdout. */
export interface Output {
  style: Style;
  /** A list: an aligned table, or with `--json` a JSON array (so `jq '.[]'` works). */
  list(rows: ReadonlyArray<Record<string, unknown>>, options: { columns: readonly string[]; json: boolean }): void;
  /** One object: `key  value` lines, or with `--json` the object itself. */
  record(value: Record<string, unknown>, options: { json: boolean }): void;
  /** JSON exactly as given (pretty-printed). */
  json(value: unknown): void;
  /** A line of text. */
  line(text: string): void;
}

export function createOutput(io: CliIo): Output {
  const style = createStyle(colourEnabled(io.isTTY, io.env));
  const write = (text: string): void => void io.stdout.write(text);
  const json = (value: unknown): void => write(JSON.stringify(value, null, 2) + '\n');
  return {
    style,
    list(rows, options) {
      if (options.json) json(rows);
      else write(renderTable(options.columns, rows, style));
    },
    record(value, options) {
      if (options.json) {
        json(value);
        return;
      }
      const keys = Object.keys(value);
      const width = Math.max(0, ...keys.map((key) => key.length));
      for (const key of keys) {
        const text = cellText(value[key]);
        write(`${style.bold(key.padEnd(width))}  ${key === 'status' ? styleStatus(style, text) : text}\n`);
      }
    },
    json,
    line: (text) => write(text + '\n'),
  };
}
