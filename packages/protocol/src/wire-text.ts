/**
 * The text every string of a request must be: well-formed Unicode (no lone surrogate, which has
 * no UTF-8 form) without U+0000 (which Postgres cannot store in `text` or `jsonb`). Checked once,
 * for every route's path, query and body, before any schema or handler sees them — so a new
 * route or a free-text field cannot forget it.
 */

/** In `u` mode `\p{Cs}` matches only a surrogate that is not half of a pair. */
const LONE_SURROGATE = /\p{Cs}/u;

/** A string a request may carry: no NUL, no lone surrogate. */
export function isWireText(value: string): boolean {
  return !value.includes('\u0000') && !LONE_SURROGATE.test(value);
}

/** Most nested values looked at; deeper ones are the schemas' business (they bound depth and size). */
const MAX_DEPTH = 64;

/**
 * Where the first string that is not wire text sits in `value` (a key or a value, at any depth):
 * a path such as `metadata.notes[2]`, `''` for `value` itself, undefined when every string is fine.
 */
export function findIllFormedText(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'string') return isWireText(value) ? undefined : path;
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = findIllFormedText(value[index], `${path}[${index}]`, depth + 1);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const at = path === '' ? key : `${path}.${key}`;
    // The key itself is not repeated: the path names where it sits.
    if (!isWireText(key)) return `${path === '' ? '' : path} (a key)`.trim();
    const found = findIllFormedText(item, at, depth + 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
