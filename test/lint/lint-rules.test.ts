import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// Each rule of docs/architecture.md ("Dependency direction"), and each style rule, is tried with one
// wrong file linted as if it were part of the tree: lint must fail with that rule's message.
const root = resolve(import.meta.dirname, '../..');
const eslint = new ESLint({ cwd: root });

async function lint(filePath: string, code: string) {
  const [result] = await eslint.lintText(code, { filePath: join(root, filePath) });
  return (result?.messages ?? []).map((m) => ({ rule: m.ruleId, message: m.message }));
}

/** An import of some real file under `dir`, written relative to `from` (files move; folders stay). */
function importOfFileIn(from: string, dir: string) {
  const files = readdirSync(join(root, dir), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts')).sort();
  if (files[0] === undefined) throw new Error(`no .ts file under ${dir}`);
  return importOf(from, `${dir}/${files[0]}`);
}

function importOf(from: string, target: string) {
  const path = relative(dirname(join(root, from)), join(root, target)).replaceAll('\\', '/');
  return `import * as probe from '${path.startsWith('.') ? path : `./${path}`}';\nexport { probe };\n`;
}

const server = (path: string) => `packages/server/src/${path}`;
const sdk = (path: string) => `packages/sdk/src/${path}`;
const wrongWay = [
  ['server db/ → events/', server('db/probe.ts'), server('events')],
  ['server db/ → http/', server('db/probe.ts'), server('http')],
  ['server http/ → sts/', server('http/probe.ts'), server('sts')],
  ['server http/ → events/', server('http/probe.ts'), server('events')],
  ['server http/ → auth/', server('http/probe.ts'), server('auth')],
  ['server http/ → coordinator/', server('http/probe.ts'), server('coordinator')],
  ['server auth/ → events/', server('auth/probe.ts'), server('events')],
  ['server events/ → sts/', server('events/probe.ts'), server('sts')],
  ['server sts/ → coordinator/', server('sts/probe.ts'), server('coordinator')],
  ['server coordinator/ → jobs/', server('coordinator/probe.ts'), server('jobs')],
  ['sdk retry/ → context/', sdk('retry/probe.ts'), sdk('context')],
  ['sdk errors.ts → http/', sdk('errors.ts'), sdk('http')],
  ['sdk propagation/ → context/', sdk('propagation/probe.ts'), sdk('context')],
  ['sdk http/ → context/', sdk('http/probe.ts'), sdk('context')],
  ['sdk context/ → transport/', sdk('context/probe.ts'), sdk('transport')],
  ['sdk transport/ → verify/', sdk('transport/probe.ts'), sdk('verify')],
  ['sdk verify/ → transport/', sdk('verify/probe.ts'), sdk('transport')],
] as const;

describe('lint rules', () => {
  it.each(wrongWay)('%s fails lint', async (_name, file, targetDir) => {
    const messages = await lint(file, importOfFileIn(file, targetDir));
    expect(messages).toContainEqual({
      rule: 'import-x/no-restricted-paths',
      message: expect.stringContaining('docs/architecture.md'),
    });
  });

  it.each([sdk('transport/probe.ts'), sdk('transport/mcp/probe.ts')])('%s importing the root default client fails lint', async (file) => {
    const messages = await lint(file, importOf(file, sdk('default-client.ts')));
    expect(messages).toContainEqual({
      rule: 'import-x/no-restricted-paths',
      message: expect.stringContaining('never reaches for the root default client'),
    });
  });

  it('the entry file of @caracal/sdk/mcp may bind the root default client', async () => {
    const file = sdk('transport/mcp/index.ts');
    const messages = await lint(file, importOf(file, sdk('default-client.ts')));
    expect(messages.filter((m) => m.rule === 'import-x/no-restricted-paths')).toEqual([]);
  });

  it.each([
    ['packages/protocol/src/probe.ts', '@caracal/sdk'],
    ['packages/protocol/src/probe.ts', '@caracal/server'],
    ['packages/sdk/src/probe.ts', '@caracal/server'],
    ['packages/sdk/src/probe.ts', '@caracal/cli/package.json'],
    ['packages/server/src/probe.ts', '@caracal/cli'],
  ])('%s importing %s fails lint', async (file, specifier) => {
    const messages = await lint(file, `import * as probe from '${specifier}';\nexport { probe };\n`);
    expect(messages).toContainEqual({
      rule: 'no-restricted-imports',
      message: expect.stringContaining('protocol ← sdk ← server ← cli'),
    });
  });

  it("a package importing another package's files by relative path fails lint", async () => {
    const file = 'packages/sdk/src/probe.ts';
    const messages = await lint(file, importOf(file, 'packages/protocol/src/index.ts'));
    expect(messages.map((m) => m.rule)).toContain('import-x/no-relative-packages');
  });

  it("a test importing a package's src/ by relative path fails lint", async () => {
    const file = 'test/lint/probe.test.ts';
    const messages = await lint(file, importOf(file, 'packages/sdk/src/index.ts'));
    expect(messages).toContainEqual({
      rule: 'no-restricted-imports',
      message: expect.stringContaining('not its src/'),
    });
  });

  it('an import cycle fails lint', async () => {
    // errors.ts is imported by files across the SDK; making it import one of them closes a cycle.
    const sdk = join(root, 'packages/sdk/src');
    const importer = readdirSync(sdk, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts') && name.split('/').length === 2)
      .find((name) => readFileSync(join(sdk, name), 'utf8').includes("from '../errors.ts'"));
    expect(importer).toBeDefined();
    const file = 'packages/sdk/src/errors.ts';
    const messages = await lint(file, importOf(file, `packages/sdk/src/${importer}`));
    expect(messages.map((m) => m.rule)).toContain('import-x/no-cycle');
  });

  it('imports that run the right way pass', async () => {
    const cases = [
      [server('sts/probe.ts'), server('http')],
      [server('coordinator/probe.ts'), server('sts')],
      [server('events/probe.ts'), server('db')],
      [sdk('transport/probe.ts'), sdk('propagation')],
      [sdk('verify/probe.ts'), sdk('context')],
    ] as const;
    for (const [file, targetDir] of cases) {
      expect(await lint(file, importOfFileIn(file, targetDir))).toEqual([]);
    }
    expect(await lint('packages/sdk/src/probe.ts', "export { MAX_HOP } from '@caracal/protocol';\n")).toEqual([]);
  });

  it('a file name that is not kebab-case fails lint', async () => {
    const messages = await lint('packages/sdk/src/retry/RetryProbe.ts', 'export const probe = 1;\n');
    expect(messages.map((m) => m.rule)).toContain('unicorn/filename-case');
  });

  it('process.exit below an entry file fails lint; bin.ts may call it', async () => {
    const code = 'process.exit(1);\n';
    expect(await lint('packages/cli/src/commands/probe.ts', code)).toContainEqual({
      rule: 'no-restricted-properties',
      message: expect.stringContaining('Only bin.ts and main.ts end the process'),
    });
    expect(await lint('packages/cli/src/bin.ts', code)).toEqual([]);
  });

  it('the lint command exits non-zero on a wrong-way import', async () => {
    const file = 'packages/server/src/http/probe.ts';
    const run = promisify(execFile);
    const eslintBin = join(root, 'node_modules/eslint/bin/eslint.js');
    const args = [eslintBin, '--stdin', '--stdin-filename', file];
    const child = run(process.execPath, args, { cwd: root });
    child.child.stdin?.end(importOfFileIn(file, 'packages/server/src/events'));
    await expect(child).rejects.toMatchObject({ code: 1, stdout: expect.stringContaining('no-restricted-paths') });
  });
});
