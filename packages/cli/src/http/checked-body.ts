import { RevokeDelegationResult, schemaChecker, type SchemaCheck } from '@caracal/protocol';
import type { Static, TSchema } from 'typebox';
import { CliError } from '../errors.ts';

/** Compiled once per schema, on first use. */
const checkers = new WeakMap<TSchema, (value: unknown) => SchemaCheck<unknown>>();

/** Checks a response body against its protocol schema and returns it typed. */
export function expectBody<Schema extends TSchema>(schema: Schema, value: unknown, what: string): Static<Schema> {
  let check = checkers.get(schema);
  if (check === undefined) {
    check = schemaChecker(schema);
    checkers.set(schema, check);
  }
  const result = check(value);
  if (!result.ok) throw new CliError('invalid_response', `${what}: unexpected answer from the server: ${result.problem}`);
  return result.value as Static<Schema>;
}

/** The revoke answer, whose counts are printed as numbers. */
export function expectRevokeAnswer(value: unknown): RevokeDelegationResult {
  return expectBody(RevokeDelegationResult, value, 'revoke delegation edge');
}
