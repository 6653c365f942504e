import { Type, type Static, type TSchema, type TUnsafe } from 'typebox';

/**
 * `T` as the /v1 routes' callers send it: every optional field may also be `null`, meaning absent, at
 * any depth of the body's own objects (the documented `/v1/begin` body sends `"parent_id": null`,
 * `"ttl_seconds": null`).
 */
export type SeedShape<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]: undefined extends T[K] ? SeedShape<Exclude<T[K], undefined>> | null | undefined : SeedShape<T[K]> }
    : T;

/** The JSON Schema keywords this file reads. */
interface JsonSchema {
  type?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
}

/** A schema of an object with declared fields (free-form records have none: their values are data). */
function hasFields(schema: JsonSchema): schema is JsonSchema & { properties: Record<string, JsonSchema> } {
  return typeof schema.properties === 'object' && schema.properties !== null;
}

function acceptingNulls(schema: JsonSchema): JsonSchema {
  if (Array.isArray(schema.anyOf)) return { ...schema, anyOf: schema.anyOf.map(acceptingNulls) };
  if (!hasFields(schema)) return schema;
  const required = new Set(schema.required ?? []);
  const properties = Object.fromEntries(
    Object.entries(schema.properties).map(([name, field]) => {
      const inner = acceptingNulls(field);
      return [name, required.has(name) ? inner : { anyOf: [inner, { type: 'null' }] }];
    }),
  );
  return { ...schema, properties };
}

/**
 * The body schema of a seed route (docs/decisions/2026-12-04-seed-literal-bodies.md): the
 * strict schema with every optional field also taking `null`. The route reads the body through
 * {@link withoutSeedNulls}, so the services behind it see the strict shape only.
 */
export function SeedBody<Strict extends TSchema>(strict: Strict): TUnsafe<SeedShape<Static<Strict>>> {
  return Type.Unsafe<SeedShape<Static<Strict>>>(acceptingNulls(strict as JsonSchema));
}

function dropNulls(schema: JsonSchema, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const fields = Array.isArray(schema.anyOf) ? schema.anyOf.find(hasFields) : schema;
  if (fields === undefined || !hasFields(fields)) return value;
  const required = new Set(fields.required ?? []);
  const kept: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(value)) {
    const declared = fields.properties[name];
    if (field === null && declared !== undefined && !required.has(name)) continue;
    kept[name] = declared === undefined ? field : dropNulls(declared, field);
  }
  return kept;
}

/**
 * A checked seed body with its nulls read as absent: the one place null becomes "not given".
 * Only declared optional fields lose a null; a null inside free-form data (`metadata`) stays.
 */
export function withoutSeedNulls<Strict extends TSchema>(strict: Strict, body: SeedShape<Static<Strict>>): Static<Strict> {
  return dropNulls(strict as JsonSchema, body) as Static<Strict>;
}
