import type { Queryable } from '../../db/database.ts';
import type { PageRequest } from '../../http/pagination.ts';
import { SqlParameters } from './sql-parameters.ts';

/** A Coordinator table and the columns its row type reads (both fixed in code, never from a request). */
export interface TableShape {
  table: string;
  columns: string;
}

/** Reads one row by its id. */
export async function findById<Row>(
  database: Queryable,
  shape: TableShape,
  id: string,
  options: { prepare?: boolean } = {},
): Promise<Row | undefined> {
  const result = await database.query<Row>(`SELECT ${shape.columns} FROM ${shape.table} WHERE id = $1`, [id], options);
  return result.rows[0];
}

/**
 * One page of a table's rows in id order, fetching one row extra to tell if more follow (see
 * toPage). `equal` maps a column to the value it must hold; an undefined value does not filter.
 * `more` adds conditions that are not plain equality.
 */
export async function listPage<Row>(
  database: Queryable,
  shape: TableShape,
  equal: Readonly<Record<string, string | undefined>>,
  page: PageRequest,
  more: (parameters: SqlParameters) => string[] = () => [],
): Promise<Row[]> {
  const p = new SqlParameters();
  const conditions: string[] = [];
  for (const [column, value] of Object.entries(equal)) {
    if (value !== undefined) conditions.push(`${column} = ${p.add(value)}`);
  }
  conditions.push(...more(p));
  if (page.afterKey !== undefined) conditions.push(`id > ${p.add(page.afterKey)}`);
  const result = await database.query<Row>(
    `SELECT ${shape.columns} FROM ${shape.table} WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${p.add(page.limit + 1)}`,
    p.values,
  );
  return result.rows;
}
