import { RESOURCE_MAX_LENGTH, RESOURCE_PATTERN } from '@caracal/protocol';

const RESOURCE = new RegExp(RESOURCE_PATTERN);

/** True when `value` can name a resource: an absolute URI without a fragment (RFC 8707 §2). */
export function isResourceIdentifier(value: unknown): value is string {
  return typeof value === 'string' && value.length <= RESOURCE_MAX_LENGTH && RESOURCE.test(value);
}
