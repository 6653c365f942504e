import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const packageRoot = resolve(import.meta.dirname, '../..');
const manifest = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')) as { exports: Record<string, string | { types: string; default: string }> };

/** Modules the root entry must never load: heavy, optional or server-side code. */
const FORBIDDEN_IN_ROOT = ['modelcontextprotocol', 'a2a-js', '@opentelemetry/sdk', '@opentelemetry/core', 'fastify', '@caracal/server', 'jose'];

let out: string;
let built: string[];
let missing: Array<[name: string, source: string]>;

/** Runs an ES module snippet in a fresh node process, resolving packages as an installed app would. */
async function node(code: string, ...flags: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [...flags, '--input-type=module', '--eval', code], { cwd: out });
  return stdout;
}

beforeAll(async () => {
  // Inside packages/sdk/node_modules so the built files resolve the package's real dependencies.
  const cache = join(packageRoot, 'node_modules', '.cache');
  mkdirSync(cache, { recursive: true });
  out = mkdtempSync(join(cache, 'caracal-exports-test-'));
  const { stdout } = await run(process.execPath, [join(import.meta.dirname, 'build-dist.ts'), out], { cwd: packageRoot });
  ({ built, missing } = JSON.parse(stdout) as { built: string[]; missing: Array<[string, string]> });
}, 180_000);

afterAll(() => {
  if (out !== undefined) rmSync(out, { recursive: true, force: true });
});

const subpaths = Object.entries(manifest.exports);

describe('the built package (dist), as users import it', () => {
  it.each(subpaths)('exports %s resolves when its source exists', async (subpath, target) => {
    const specifier = `@caracal/sdk${subpath === '.' ? '' : subpath.slice(1)}`;
    if (typeof target === 'string') {
      expect(await node(`import(${JSON.stringify(specifier)}, { with: { type: 'json' } }).then((m) => process.stdout.write(m.default.name))`)).toBe('@caracal/sdk');
      return;
    }
    const name = target.default.replace('./dist/', '').replace(/\.js$/, '');
    if (!built.includes(name)) {
      // Not built because its source is not written yet; once it is, build-dist.ts builds it and this branch stops applying.
      const source = missing.find(([missingName]) => missingName === name)?.[1];
      expect(source, `${subpath} has no tsup entry`).toBeDefined();
      expect(existsSync(join(packageRoot, source as string))).toBe(false);
      return;
    }
    const keys = JSON.parse(await node(`const m = await import(${JSON.stringify(specifier)}); process.stdout.write(JSON.stringify(Object.keys(m)))`)) as string[];
    expect(keys.length).toBeGreaterThan(0);
    expect(existsSync(join(out, 'node_modules/@caracal/sdk', target.types))).toBe(true);
  });

  it('the root entry exposes the public contract', async () => {
    const keys = JSON.parse(await node(`const m = await import('@caracal/sdk'); process.stdout.write(JSON.stringify(Object.keys(m)))`)) as string[];
    for (const name of ['Caracal', 'spawn', 'delegate', 'configure', 'current', 'bind', 'captureContext', 'requireContext', 'headers', 'exchange', 'CaracalError', 'isCaracalError', 'MAX_HOP']) {
      expect(keys).toContain(name);
    }
  });

  it('importing the root entry in a fresh process loads no MCP, A2A, OpenTelemetry SDK, jose, fastify or server module', async () => {
    // A module hook records every module Node loads (ESM and CommonJS) during the import.
    const stdout = await node(`
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, context, nextLoad) { loaded.push(url); return nextLoad(url, context); } });
      await import('@caracal/sdk');
      process.stdout.write(JSON.stringify(loaded));
    `);
    const loaded = (JSON.parse(stdout) as string[]).map((url) => decodeURIComponent(url));
    // The hook works: it saw the entry itself and a dependency the root does load.
    expect(loaded.some((url) => url.includes('@caracal/sdk/dist/index.js'))).toBe(true);
    expect(loaded.some((url) => url.includes('/@opentelemetry/api/'))).toBe(true);
    // undici waits for the first request (cold-import cost).
    expect(loaded.filter((url) => url.includes('/undici/'))).toEqual([]);
    for (const forbidden of FORBIDDEN_IN_ROOT) {
      expect(loaded.filter((url) => url.includes(forbidden)), forbidden).toEqual([]);
    }
  });

  it('shares one context storage between two copies of the SDK', async () => {
    // A second installed copy, as when an app and one of its dependencies each bring the SDK.
    cpSync(join(out, 'node_modules/@caracal/sdk'), join(out, 'node_modules/second-copy-of-sdk'), { recursive: true });
    const stdout = await node(`
      const first = await import('@caracal/sdk');
      const second = await import('./node_modules/second-copy-of-sdk/dist/index.js');
      if (second.current === first.current) throw new Error('not a second copy');
      const context = { subjectToken: 't', zoneId: 'z', clientId: 'c', agentSessionId: 'agentsess_1', hop: 0 };
      process.stdout.write(String(first.bind(context, () => second.current()?.agentSessionId)));
    `);
    expect(stdout).toBe('agentsess_1');
  });
});
