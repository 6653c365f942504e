import type { Static, TSchema } from 'typebox';
import { Compile } from 'typebox/compile';
import type { TLocalizedValidationError } from 'typebox/error';
import { NAME_MAX_LENGTH, RESOURCE_MAX_LENGTH, SCOPE_MAX_LENGTH } from './limits.ts';
import { NAME_PATTERN, RESOURCE_PATTERN, SCOPE_PATTERN } from './patterns.ts';

/** The contract's patterns in words: a regular expression is no help to whoever wrote the value. */
const PATTERN_WORDS: ReadonlyMap<string, string> = new Map([
  [NAME_PATTERN, `must be an id: letters, digits, _ . : - (starting with a letter or digit), at most ${NAME_MAX_LENGTH} characters`],
  [SCOPE_PATTERN, `must be a scope token: printable ASCII without spaces, quotes or backslashes, at most ${SCOPE_MAX_LENGTH} characters`],
  [RESOURCE_PATTERN, `must be an absolute URI without a fragment, at most ${RESOURCE_MAX_LENGTH} characters`],
]);

/**
 * Why a value did not match its schema, naming each field as a person would write it:
 * `zones[0].applications[1].secret is required`. `problem` is the first; `problems` all of them,
 * so whoever edits a config file fixes them in one go.
 */
export type SchemaCheck<Value> = { ok: true; value: Value } | { ok: false; problem: string; problems: readonly string[] };

/**
 * Compiles `schema` into a checker that returns the value typed, or its first problem in words a
 * person editing a config file can act on. For documents no Fastify route validates (the
 * bootstrap document of `startServer` and of `caracal.config.json`).
 */
export function schemaChecker<Schema extends TSchema>(schema: Schema): (value: unknown) => SchemaCheck<Static<Schema>> {
  const validator = Compile(schema);
  return (value) => {
    if (validator.Check(value)) return { ok: true, value: value as Static<Schema> };
    const problems = [...new Set([...validator.Errors(value)].map(describe))];
    if (problems.length === 0) problems.push('the value is invalid');
    return { ok: false, problem: problems[0]!, problems };
  };
}

function describe(error: TLocalizedValidationError): string {
  const path = readablePath(error.instancePath);
  const under = (field: string): string => (path === '' ? field : `${path}.${field}`);
  switch (error.keyword) {
    case 'required':
      return `${under(error.params.requiredProperties[0] ?? '')} is required`;
    case 'additionalProperties':
      return `${under(error.params.additionalProperties[0] ?? '')} is not a known field`;
    // A refused extra property reports first as the `false` schema it met.
    case 'boolean':
      return `${path} is not a known field`;
    case 'pattern':
      return `${path} ${PATTERN_WORDS.get(String(error.params.pattern)) ?? error.message}`;
    default:
      return `${path === '' ? 'the value' : path} ${error.message}`;
  }
}

/** `/zones/0/applications/1` → `zones[0].applications[1]`. */
function readablePath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((token) => token.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, token) => (/^\d+$/.test(token) ? `${path}[${token}]` : path === '' ? token : `${path}.${token}`), '');
}
