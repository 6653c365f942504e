/**
 * `@opentelemetry/api` is a peer dependency: the user's one copy, whichever OpenTelemetry SDK
 * line they run. A second, nested copy is how `spawn` used to start a new trace under the 2.x
 * line (the API's global registry refuses a copy newer than the one that registered the SDK).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Manifest {
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const packageRoot = resolve(import.meta.dirname, '../..');
const readManifest = (directory: string): Manifest => JSON.parse(readFileSync(join(directory, 'package.json'), 'utf8')) as Manifest;
const manifest = readManifest(packageRoot);
// Read from the installed folder: not every package exports its package.json.
const peerOf = (name: string): string => readManifest(join(packageRoot, 'node_modules', name)).peerDependencies!['@opentelemetry/api']!;

type Version = readonly [number, number, number];
const parse = (text: string): Version => text.split('.').map(Number) as unknown as Version;
const compare = (a: Version, b: Version): number => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/** The plain ranges in play: `^x.y.z`, or space-separated `>=`/`<` comparators. */
function satisfies(range: string, version: string): boolean {
  const v = parse(version);
  if (range.startsWith('^')) {
    const low = parse(range.slice(1));
    return v[0] === low[0] && compare(v, low) >= 0;
  }
  return range.split(/\s+/).every((comparator) => {
    const [, operator, bound] = /^(>=|<)(.+)$/.exec(comparator)!;
    return operator === '>=' ? compare(v, parse(bound!)) >= 0 : compare(v, parse(bound!)) < 0;
  });
}

describe('@opentelemetry/api as a peer dependency', () => {
  const range = manifest.peerDependencies?.['@opentelemetry/api'];

  it('is a required peer, never a dependency of its own', () => {
    expect(manifest.dependencies?.['@opentelemetry/api']).toBeUndefined();
    expect(range).toBeDefined();
    expect(manifest.peerDependenciesMeta?.['@opentelemetry/api']?.optional).not.toBe(true);
  });

  it('admits the API each OpenTelemetry SDK line asks for (2.x: <1.10, 3.x: 1.10.x)', () => {
    const lines = { '2.x': peerOf('otel2-sdk-trace-node'), '3.x': peerOf('otel3-sdk-trace') };
    expect(lines['2.x']).toBe('>=1.0.0 <1.10.0');
    expect(lines['3.x']).toBe('>=1.10.0 <1.11.0');
    for (const [line, version] of [['2.x', '1.9.0'], ['3.x', '1.10.0']] as const) {
      expect(satisfies(lines[line], version), line).toBe(true);
      expect(satisfies(range!, version), `${range} admits ${version} for the ${line} line`).toBe(true);
    }
  });
});
