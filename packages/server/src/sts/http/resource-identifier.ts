/** An absolute URI without fragment or whitespace (RFC 8707 §2), at most 2048 characters. */
const RESOURCE_PATTERN = /^[A-Za-z][A-Za-z0-9+.-]*:[^\s#]+$/;

/** True when `value` can name a resource. */
export function isResourceIdentifier(value: unknown): value is string {
  return typeof value === 'string' && value.length <= 2048 && RESOURCE_PATTERN.test(value);
}
