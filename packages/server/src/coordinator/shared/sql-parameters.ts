/**
 * Collects the values of one parameterised statement and hands back their `$n` placeholders, so
 * long CTE statements can be assembled from parts without counting positions by hand.
 */
export class SqlParameters {
  readonly values: unknown[] = [];

  /** Adds `value` and returns its placeholder, with `cast` appended (e.g. `::jsonb`). */
  add(value: unknown, cast = ''): string {
    this.values.push(value);
    return `$${this.values.length}${cast}`;
  }

  /** Adds a value serialised as JSON (null stays SQL NULL) and returns its `::jsonb` placeholder. */
  json(value: unknown): string {
    return this.add(value === null || value === undefined ? null : JSON.stringify(value), '::jsonb');
  }
}
