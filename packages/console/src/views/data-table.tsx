import type { ComponentChildren } from 'preact';

/** One column of a `DataTable`: its heading and what each row shows in it. */
export interface Column<T> {
  header: ComponentChildren;
  cell: (row: T) => ComponentChildren;
  /** Ids and other machine text, set in the monospace face. */
  mono?: boolean;
}

interface DataTableProps<T> {
  label: string;
  columns: ReadonlyArray<Column<T>>;
  rows: readonly T[];
  keyOf: (row: T) => string;
  /** Set as the row's `data-status`, which the styles and the tests read. */
  statusOf: (row: T) => string;
}

/** A plain table of records, one row each, in the order given. */
export function DataTable<T>({ label, columns, rows, keyOf, statusOf }: DataTableProps<T>) {
  return (
    <table aria-label={label} class="plain">
      <thead>
        <tr>
          {columns.map((column, index) => (
            <th key={index}>{column.header}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={keyOf(row)} data-status={statusOf(row)}>
            {columns.map((column, index) => (
              <td key={index} class={column.mono === true ? 'mono' : undefined}>
                {column.cell(row)}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
