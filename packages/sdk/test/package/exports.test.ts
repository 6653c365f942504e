import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { isAbsolute, join, resolve } from 'node:path';
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

const tscBin = createRequire(import.meta.url).resolve('typescript/bin/tsc');

/** Compiler options of a strict TypeScript consumer; `moduleResolution` varies. */
const CONSUMER_OPTIONS = { target: 'ES2023', lib: ['ES2023'], strict: true, noEmit: true, skipLibCheck: true, types: ['node'], verbatimModuleSyntax: true };

/**
 * Type-checks `files` in a fresh project under `out`, resolving `@caracal/sdk` to the built
 * package as an installed dependency. Resolves to tsc's diagnostics ('' when there are none) and
 * the files the program read.
 */
async function typecheckConsumer(name: string, compilerOptions: Record<string, unknown>, files: Record<string, string>): Promise<{ errors: string; read: string[] }> {
  const project = join(out, name);
  mkdirSync(project, { recursive: true });
  // Its own package scope: without one, TypeScript would take packages/sdk/package.json above
  // `out` for a self-reference and resolve the package to packages/sdk/dist instead.
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: `caracal-${name}`, private: true, type: 'module' }));
  for (const [file, text] of Object.entries(files)) writeFileSync(join(project, file), text);
  writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions: { ...CONSUMER_OPTIONS, ...compilerOptions }, include: ['*.ts'] }));
  let output: string;
  try {
    ({ stdout: output } = await run(process.execPath, [tscBin, '-p', project, '--pretty', 'false', '--listFiles'], { cwd: project }));
  } catch (error) {
    output = String((error as { stdout?: string }).stdout || error);
  }
  const lines = output.split('\n').filter((line) => line !== '');
  return { errors: lines.filter((line) => !isAbsolute(line)).join('\n'), read: lines.filter((line) => isAbsolute(line)) };
}

/** Of the files a consumer program read, those of the SDK: all must come from the build under `out`. */
function sdkFilesRead(read: string[]): { fromBuild: string[]; fromElsewhere: string[] } {
  const build = join(out, 'node_modules/@caracal/sdk/');
  return {
    fromBuild: read.filter((file) => file.startsWith(build)),
    fromElsewhere: read.filter((file) => file.startsWith(join(packageRoot, 'dist/')) || file.startsWith(join(packageRoot, 'src/'))),
  };
}

/** Runs an ES module snippet in a fresh node process, resolving packages as an installed app would. */
async function node(code: string, ...flags: string[]): Promise<string> {
  return nodeAt(process.execPath, code, ...flags);
}

async function nodeAt(executable: string, code: string, ...flags: string[]): Promise<string> {
  const { stdout } = await run(executable, [...flags, '--input-type=module', '--eval', code], { cwd: out });
  return stdout;
}

/** The machine's own node when it is older than the SDK supports (these machines ship Node 20), with its version. */
function olderNode(): { executable: string; version: string } | undefined {
  const executable = '/usr/bin/node';
  if (!existsSync(executable)) return undefined;
  const version = execFileSync(executable, ['-p', 'process.versions.node'], { encoding: 'utf8' }).trim();
  return Number.parseInt(version, 10) < 22 ? { executable, version } : undefined;
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
  it.each(subpaths)('exports %s is built and resolves', async (subpath, target) => {
    const specifier = `@caracal/sdk${subpath === '.' ? '' : subpath.slice(1)}`;
    if (typeof target === 'string') {
      expect(await node(`import(${JSON.stringify(specifier)}, { with: { type: 'json' } }).then((m) => process.stdout.write(m.default.name))`)).toBe('@caracal/sdk');
      return;
    }
    const name = target.default.replace('./dist/', '').replace(/\.js$/, '');
    // A declared subpath whose tsup entry is missing, or whose source is, would ship a broken import.
    expect(built, `${subpath}: not built (entries without a source: ${JSON.stringify(missing)})`).toContain(name);
    const keys = JSON.parse(await node(`const m = await import(${JSON.stringify(specifier)}); process.stdout.write(JSON.stringify(Object.keys(m)))`)) as string[];
    expect(keys.length).toBeGreaterThan(0);
    expect(existsSync(join(out, 'node_modules/@caracal/sdk', target.types))).toBe(true);
  });

  it('every exports subpath has declarations a strict consumer resolves (NodeNext and Bundler)', async () => {
    // Without declarations, strict mode reports TS7016; an unresolvable subpath reports TS2307.
    const imports = subpaths
      .filter(([, target]) => typeof target !== 'string')
      .map(([subpath], index) => `export type Entry${index} = typeof import('@caracal/sdk${subpath === '.' ? '' : subpath.slice(1)}');`);
    expect(imports.length).toBe(subpaths.length - 1);
    const files = { 'entries.ts': `${imports.join('\n')}\n` };
    for (const [name, module, moduleResolution] of [['consumer-nodenext', 'NodeNext', 'NodeNext'], ['consumer-bundler', 'ESNext', 'Bundler']] as const) {
      const { errors, read } = await typecheckConsumer(name, { module, moduleResolution }, files);
      expect(errors, moduleResolution).toBe('');
      const { fromBuild, fromElsewhere } = sdkFilesRead(read);
      expect(fromBuild.map((file) => file.slice(file.lastIndexOf('/') + 1))).toEqual(expect.arrayContaining(built.map((entry) => `${entry}.d.ts`)));
      expect(fromElsewhere, moduleResolution).toEqual([]);
    }
  }, 60_000);

  it('the built declarations pass the same type tests as the sources (test/types)', async () => {
    // The type tests import the package by name; here that name is the built package, not src.
    const typesDir = join(packageRoot, 'test/types');
    const tests = readdirSync(typesDir).filter((file) => file.endsWith('.test-d.ts'));
    expect(tests.length).toBeGreaterThan(0);
    const files = Object.fromEntries(tests.map((file) => [file, readFileSync(join(typesDir, file), 'utf8')]));
    const { errors, read } = await typecheckConsumer('consumer-type-tests', { module: 'NodeNext', moduleResolution: 'NodeNext' }, files);
    expect(errors).toBe('');
    expect(sdkFilesRead(read).fromElsewhere).toEqual([]);
  }, 60_000);

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

  it('the admin entry is browser-safe: importing it loads only the SDK\'s own files, no Node.js module or dependency', async () => {
    const stdout = await node(`
      import { registerHooks } from 'node:module';
      const loaded = [];
      registerHooks({ load(url, context, nextLoad) { loaded.push(url); return nextLoad(url, context); } });
      const admin = await import('@caracal/sdk/admin');
      process.stdout.write(JSON.stringify({ loaded, names: Object.keys(admin) }));
    `);
    const { loaded, names } = JSON.parse(stdout) as { loaded: string[]; names: string[] };
    expect(names).toEqual(expect.arrayContaining(['createAdminClient', 'CaracalAdminError']));
    expect(loaded.some((url) => url.includes('@caracal/sdk/dist/admin.js'))).toBe(true);
    expect(loaded.filter((url) => !url.includes('/node_modules/@caracal/sdk/dist/'))).toEqual([]);
  });

  // The wire types of `@caracal/sdk/admin` are the protocol's schemas' static types, so their
  // declarations name the schema library (a dependency, for types only); no code loads it.
  it('bundles the private wire contract: no built file imports @caracal/protocol, no code imports its schema library', () => {
    const dist = join(out, 'node_modules/@caracal/sdk/dist');
    const files = readdirSync(dist).filter((file) => file.endsWith('.js') || file.endsWith('.d.ts'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const text = readFileSync(join(dist, file), 'utf8');
      expect(text, file).not.toMatch(/["']@caracal\/protocol["']/);
      if (file.endsWith('.js')) expect(text, file).not.toMatch(/["']typebox(\/[\w-]+)?["']/);
      // A declaration that imports a source file would not resolve for users.
      expect(text, file).not.toMatch(/from ["'][^"']+\.ts["']/);
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

  it('on Node.js older than 22, importing any entry fails with one line naming the version needed', async () => {
    const older = olderNode();
    // Without an older node on the machine, the current one pretends to be Node 20 before the import.
    const version = older?.version ?? '20.0.0';
    const pretend = older === undefined ? `Object.defineProperty(process.versions, 'node', { value: '${version}' });` : '';
    for (const [subpath, target] of subpaths.filter(([, target]) => typeof target !== 'string')) {
      const specifier = `@caracal/sdk${subpath === '.' ? '' : subpath.slice(1)}`;
      const code = `${pretend} await import(${JSON.stringify(specifier)}).then(() => process.stdout.write('loaded'), (error) => process.stdout.write(error.message));`;
      const stdout = await nodeAt(older?.executable ?? process.execPath, code);
      expect(stdout, `${specifier} (${String(target)})`).toBe(`@caracal/sdk needs Node.js 22 or newer (this is Node.js ${version})`);
    }
  });
});
