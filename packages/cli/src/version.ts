import { createRequire } from 'node:module';

/** The package version; src/ and dist/ are both one level below package.json. */
export function cliVersion(): string {
  const manifest = createRequire(import.meta.url)('../package.json') as { version?: unknown };
  return typeof manifest.version === 'string' ? manifest.version : '0.0.0';
}
