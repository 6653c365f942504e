// Inlined by the bundler: no file read and no CommonJS loader at start (src/ and dist/ both sit
// one level below package.json, so the path also holds when tests run the sources).
import manifest from '../package.json' with { type: 'json' };

/** The package version, for `--version`. */
export function cliVersion(): string {
  return manifest.version;
}
