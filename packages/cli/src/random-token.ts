/**
 * A URL-safe random token of `bytes` random bytes. Uses the global Web Crypto object rather than
 * `node:crypto` so the CLI's start (every `--help`) does not load the crypto module.
 */
export function randomToken(bytes: number): string {
  return Buffer.from(globalThis.crypto.getRandomValues(new Uint8Array(bytes))).toString('base64url');
}
