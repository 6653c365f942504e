import { Type, type TSchema } from 'typebox';

/** A value or null: a column that may be empty. */
export function Nullable<Item extends TSchema>(item: Item) {
  return Type.Union([item, Type.Null()]);
}

/**
 * One of a fixed list of strings, written `{ type: 'string', enum }` so a value of the wrong type
 * is refused as "must be string" before its value is compared.
 */
export function StringEnum<const Values extends string[]>(values: readonly [...Values]) {
  return Type.Enum(values, { type: 'string' });
}
