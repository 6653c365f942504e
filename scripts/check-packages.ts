// Checks the published packages as users receive them: each is packed with `pnpm pack` (so
// `workspace:` and `catalog:` ranges are resolved as on publish), then the tarball is linted by
// publint and @arethetypeswrong/cli and its contents are checked against our own rules below.
// Needs the built dist/ folders (`pnpm run build`). Run: node scripts/check-packages.ts
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const PUBLISHED = ['sdk', 'server', 'cli'] as const;
/** Bundled into every package by tsup, never installed: no packed manifest may ask for it. */
const PRIVATE_PACKAGE = '@caracal/protocol';
const RUNTIME_FIELDS = ['dependencies', 'peerDependencies', 'optionalDependencies'] as const;
const IMPORTS_PRIVATE_PACKAGE = /(?:from\s*|import\s*\(?\s*)["']@caracal\/protocol["']/;

interface PackedManifest {
  name: string;
  license?: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  optionalDependencies?: Record<string, string>;
}

interface Packed {
  folder: string;
  tarball: string;
  files: string[];
  manifest: PackedManifest;
}

const bin = (name: string): string => join(root, 'node_modules', '.bin', name);

function pack(folder: string, destination: string): Packed {
  const output = execFileSync('pnpm', ['pack', '--pack-destination', destination, '--json'], { cwd: join(root, 'packages', folder), encoding: 'utf8' });
  const { filename, files } = JSON.parse(output) as { filename: string; files: Array<{ path: string }> };
  const unpacked = join(destination, folder);
  mkdirSync(unpacked, { recursive: true });
  execFileSync('tar', ['-xzf', filename, '-C', unpacked]);
  const manifest = JSON.parse(readFileSync(join(unpacked, 'package', 'package.json'), 'utf8')) as PackedManifest;
  return { folder, tarball: filename, files: files.map((file) => file.path), manifest };
}

/** Our own rules on a packed package; returns what is wrong with it. */
function contentProblems(packed: Packed, unpackedRoot: string): string[] {
  const problems: string[] = [];
  const { manifest, files } = packed;
  if (manifest.license !== 'Apache-2.0') problems.push(`license is ${String(manifest.license)}, expected Apache-2.0`);
  for (const required of ['README.md', 'LICENSE']) if (!files.includes(required)) problems.push(`${required} is not in the tarball`);
  const license = join(unpackedRoot, 'package', 'LICENSE');
  if (existsSync(license) && readFileSync(license, 'utf8') !== readFileSync(join(root, 'LICENSE'), 'utf8')) problems.push('LICENSE differs from the repository LICENSE');
  // No source maps ship (docs/decisions/2026-12-04-source-maps.md).
  for (const file of files.filter((path) => path.endsWith('.map'))) problems.push(`${file} is a source map`);
  for (const field of [...RUNTIME_FIELDS, 'devDependencies'] as const) {
    for (const [name, range] of Object.entries(manifest[field] ?? {})) {
      if (/^(workspace|catalog):/.test(range)) problems.push(`${field}.${name} is still ${range}`);
    }
  }
  for (const field of RUNTIME_FIELDS) if (manifest[field]?.[PRIVATE_PACKAGE] !== undefined) problems.push(`${field} names the private ${PRIVATE_PACKAGE}`);
  for (const file of files.filter((path) => /\.(js|d\.ts)$/.test(path))) {
    if (IMPORTS_PRIVATE_PACKAGE.test(readFileSync(join(unpackedRoot, 'package', file), 'utf8'))) problems.push(`${file} imports ${PRIVATE_PACKAGE} instead of bundling it`);
  }
  return [...problems, ...packageRules(packed, unpackedRoot)];
}

/** Rules of one package: what its users were promised in its README and the decision records. */
function packageRules(packed: Packed, unpackedRoot: string): string[] {
  const { manifest } = packed;
  if (packed.folder === 'cli') {
    // An operator-only install must not pull the server in: it is an optional peer.
    const problems: string[] = [];
    if (manifest.dependencies?.['@caracal/server'] !== undefined) problems.push('dependencies names @caracal/server (it must be an optional peer)');
    if (manifest.peerDependencies?.['@caracal/server'] === undefined || manifest.peerDependenciesMeta?.['@caracal/server']?.optional !== true) {
      problems.push('@caracal/server is not an optional peer dependency');
    }
    return problems;
  }
  if (packed.folder === 'server') {
    // A global `declare module 'fastify'` would change every user's Fastify types.
    const declarations = packed.files.filter((path) => path.endsWith('.d.ts'));
    return declarations
      .filter((file) => readFileSync(join(unpackedRoot, 'package', file), 'utf8').includes('declare module'))
      .map((file) => `${file} augments another module's types`);
  }
  return [];
}

function run(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'inherit' });
    return true;
  } catch {
    return false;
  }
}

const destination = mkdtempSync(join(tmpdir(), 'caracal-packages-'));
const failures: string[] = [];
try {
  for (const folder of PUBLISHED) {
    const packed = pack(folder, destination);
    const name = packed.manifest.name;
    process.stdout.write(`\n── ${name} (${packed.files.length} files)\n`);
    for (const problem of contentProblems(packed, join(destination, folder))) failures.push(`${name}: ${problem}`);
    if (!run(bin('publint'), ['run', '--strict', packed.tarball])) failures.push(`${name}: publint`);
    // esm-only: the packages are ESM for Node >= 22 (`engines`), so CommonJS `require` and the
    // pre-exports node10 resolution are out of scope, not errors. The CLI has no typed entry
    // (only a bin and ./package.json); attw then reports that and passes.
    if (!run(bin('attw'), ['--profile', 'esm-only', '--no-emoji', '--no-color', '--format', 'table-flipped', packed.tarball])) failures.push(`${name}: attw`);
  }
} finally {
  rmSync(destination, { recursive: true, force: true });
}

if (failures.length > 0) {
  process.stderr.write(`\npackage check failed:\n${failures.map((failure) => `  ${failure}`).join('\n')}\n`);
  process.exitCode = 1;
} else {
  process.stdout.write(`\npackage check: ${PUBLISHED.length} packages packed; publint, attw and the content rules pass\n`);
}
