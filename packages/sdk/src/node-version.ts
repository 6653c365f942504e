/**
 * The oldest Node.js release line the SDK runs on (package.json `engines`). Older lines lack
 * what its dependencies use (undici 8 needs Node 22's zlib), so every entry checks on import and
 * fails with one line that says so, instead of a TypeError deep inside a dependency. The entries
 * load nothing at import that fails on older Node.js first (undici is loaded on first use);
 * test/package/node-version.test.ts runs the build under an old node to keep it so.
 * @internal
 */
export const MIN_NODE_MAJOR = 22;

/**
 * The one-line message for an unsupported Node.js `version` (as in `process.versions.node`), or
 * `undefined` when it is supported.
 * @internal
 */
export function unsupportedNodeMessage(version: string): string | undefined {
  const major = Number.parseInt(version, 10);
  if (Number.isInteger(major) && major >= MIN_NODE_MAJOR) return undefined;
  return `@caracal/sdk needs Node.js ${MIN_NODE_MAJOR} or newer (this is Node.js ${version})`;
}

/**
 * Throws an `Error` with that one line when the running Node.js is too old.
 * @internal
 */
export function assertSupportedNode(version: string = process.versions.node): void {
  const message = unsupportedNodeMessage(version);
  if (message !== undefined) throw new Error(message);
}
