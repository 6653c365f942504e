import type { Constraints } from '@caracal/protocol';
import { CaracalError } from '../errors.ts';
import type { DelegationConstraints } from './spawn-options.ts';

/** Argument checks for spawn/delegate options; each throws `INVALID_ARGUMENT` naming the option. */

function invalid(option: string, problem: string): CaracalError {
  return new CaracalError('INVALID_ARGUMENT', `${option} ${problem}.`, { setting: option });
}

/** @internal */
export function checkText(value: unknown, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || value.length === 0) throw invalid(option, 'must be a non-empty string');
  return value;
}

/** @internal */
export function checkTextList(value: unknown, option: string): string[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || !value.every((item) => typeof item === 'string' && item.length > 0)) {
    throw invalid(option, 'must be an array of non-empty strings');
  }
  return [...(value as string[])];
}

/** @internal */
export function checkPositiveInteger(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value <= 0) throw invalid(option, 'must be a positive integer');
  return value;
}

function checkNonNegativeInteger(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw invalid(option, 'must be a non-negative integer');
  return value;
}

/** @internal */
export function checkRecord(value: unknown, option: string, stringValues: boolean): Record<string, unknown> | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(option, 'must be a plain object');
  if (stringValues && !Object.values(value).every((item) => typeof item === 'string')) throw invalid(option, 'must map names to strings');
  return { ...(value as Record<string, unknown>) };
}

/** @internal */
export function checkSignal(value: unknown, option: string): void {
  if (value !== undefined && !(value instanceof AbortSignal)) throw invalid(option, 'must be an AbortSignal');
}

/** Converts camelCase constraints to the wire's snake_case, checking each field. @internal */
export function toWireConstraints(value: DelegationConstraints | undefined, option: string): Constraints | undefined {
  const constraints = checkRecord(value, option, false) as DelegationConstraints | undefined;
  if (constraints === undefined) return undefined;
  const policyApproved = constraints.policyApproved;
  if (policyApproved !== undefined && typeof policyApproved !== 'boolean') throw invalid(`${option}.policyApproved`, 'must be a boolean');
  return {
    ttl_seconds: checkPositiveInteger(constraints.ttlSeconds, `${option}.ttlSeconds`),
    max_hops: checkPositiveInteger(constraints.maxHops, `${option}.maxHops`),
    budget: checkNonNegativeInteger(constraints.budget, `${option}.budget`),
    policy_approved: policyApproved,
  };
}

/** @internal */
export function invalidArgument(option: string, problem: string): CaracalError {
  return invalid(option, problem);
}
