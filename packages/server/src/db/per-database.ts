import type { Database } from './database.ts';

/**
 * One value per Database object, made on first use and dropped with the database: what all of
 * this process's writers to one database must share (a group commit, a waker, a cache).
 */
export function perDatabase<Value>(): (database: Database, create: () => Value) => Value {
  const values = new WeakMap<Database, Value>();
  return (database, create) => {
    let value = values.get(database);
    if (value === undefined) {
      value = create();
      values.set(database, value);
    }
    return value;
  };
}
