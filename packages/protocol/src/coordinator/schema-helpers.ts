import { Type, type TNull, type TOptional, type TProperties, type TSchema, type TUnion } from 'typebox';

/** A value or null: a column that may be empty. */
export function Nullable<Item extends TSchema>(item: Item) {
  return Type.Union([item, Type.Null()]);
}

/**
 * Each field optional and nullable, in the given order: the fields of a body where a field left
 * out and a null mean the same (keep it, or the route's default).
 */
export function OptionalNullable<Fields extends TProperties>(fields: Fields) {
  const mapped: TProperties = {};
  for (const [key, schema] of Object.entries(fields)) mapped[key] = Type.Optional(Nullable(schema));
  return mapped as { [Key in keyof Fields]: TOptional<TUnion<[Fields[Key], TNull]>> };
}

/**
 * One of a fixed list of strings, written `{ type: 'string', enum }` so a value of the wrong type
 * is refused as "must be string" before its value is compared.
 */
export function StringEnum<const Values extends string[]>(values: readonly [...Values]) {
  return Type.Enum(values, { type: 'string' });
}
