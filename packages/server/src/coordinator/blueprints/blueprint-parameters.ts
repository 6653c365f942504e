import type { BlueprintParametersSchema } from '@caracal/protocol';
import Schema from 'typebox/schema';
import { badRequest, conflict } from '../../http/server-error.ts';
import { assertStorable } from '../shared/storable-json.ts';

/**
 * A blueprint's parameter schema is checked by interpretation (`typebox/schema`), never compiled
 * to code: the schema is the operator's text, and a run's parameters are the caller's.
 */
function problemsOf(schema: BlueprintParametersSchema, value: unknown): string[] {
  const [ok, errors] = Schema.Errors(schema as Schema.XSchema, value);
  if (ok) return [];
  const problems = errors.map((error) => `${error.instancePath === '' ? 'parameters' : `parameters${error.instancePath.replaceAll('/', '.')}`} ${error.message}`);
  return problems.length === 0 ? ['parameters do not match the blueprint parameter schema'] : problems;
}

/** A parameter schema worth storing: storable JSON that the checker can apply (400 otherwise). */
export function assertParametersSchema(schema: BlueprintParametersSchema): BlueprintParametersSchema {
  assertStorable(schema, 'parameters_schema');
  try {
    problemsOf(schema, {});
  } catch (error) {
    throw badRequest(`parameters_schema is not a usable JSON Schema: ${(error as Error).message}`);
  }
  return schema;
}

/** Holds a run's parameters to its blueprint's schema: 400 naming the first mismatch. */
export function assertParametersMatch(schema: BlueprintParametersSchema, parameters: Record<string, unknown>): void {
  let problems: string[];
  try {
    problems = problemsOf(schema, parameters);
  } catch (error) {
    // A hand-edited schema the checker cannot apply is the blueprint's fault, not the caller's.
    throw conflict(`the blueprint's parameters_schema cannot be applied: ${(error as Error).message}`);
  }
  if (problems.length > 0) throw badRequest(`parameters do not match the blueprint's parameters_schema: ${problems[0]}`);
}
