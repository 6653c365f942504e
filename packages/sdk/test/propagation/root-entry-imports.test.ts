import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The root entry `@caracal/sdk` must stay light: it must not load MCP, A2A, OpenTelemetry SDK or
 * server code at import time. Walks the static import graph of the built `dist/index.js` when a
 * build is present (what users import), else of `src/index.ts` (same graph before bundling).
 */

const packageDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const FORBIDDEN = [/^@modelcontextprotocol\//, /^@a2a-js\//, /^@opentelemetry\/(?!api$)/, /^@caracal\/server/, /^(fastify|pg|redis|@electric-sql\/pglite)$/];
// Static imports and re-exports; `import type`/`export type` are erased and load nothing.
const STATIC_IMPORT = /(?:^|[\n;])\s*(import|export)(\s+type\b)?(?:[\s\w*{},$]*?\bfrom\s*)?\s*['"]([^'"]+)['"]/g;

function staticGraph(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    for (const match of source.matchAll(STATIC_IMPORT)) {
      if (match[2] !== undefined) continue;
      const specifier = match[3]!;
      if (specifier.startsWith('.')) pending.push(resolve(dirname(file), specifier));
      else packages.add(specifier);
    }
  }
  return { files: [...files], packages: [...packages] };
}

describe('root entry @caracal/sdk', () => {
  const dist = resolve(packageDir, 'dist/index.js');
  const entry = existsSync(dist) ? dist : resolve(packageDir, 'src/index.ts');

  it(`does not statically load MCP, A2A, OpenTelemetry SDK or server code (${entry.includes('/dist/') ? 'dist' : 'src'})`, () => {
    const { files, packages } = staticGraph(entry);
    expect(files.length).toBeGreaterThan(0);
    expect(packages.filter((name) => FORBIDDEN.some((pattern) => pattern.test(name)))).toEqual([]);
    const transportFiles = files.filter((file) => /[/\\]src[/\\](transport[/\\](mcp|a2a)|verify)[/\\]/.test(file) || /[/\\]dist[/\\](mcp|a2a|verify)\.js$/.test(file));
    expect(transportFiles).toEqual([]);
  });
});
