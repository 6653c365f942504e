import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const repositoryRoot = resolve(import.meta.dirname, '../../../..');

/** What a build of the SDK reads: a file here newer than the build makes the build stale. */
const BUILD_INPUTS = [
  'packages/sdk/src',
  'packages/sdk/package.json',
  'packages/sdk/tsup.config.ts',
  'packages/sdk/tsconfig.json',
  'packages/protocol/src',
  'packages/protocol/package.json',
  'tsconfig.base.json',
  'pnpm-lock.yaml',
];

/** The files of a folder (walked), each with its modification time in ms. */
export type FolderSnapshot = ReadonlyMap<string, number>;

export function snapshotOf(folder: string): FolderSnapshot {
  const files = new Map<string, number>();
  if (!existsSync(folder)) return files;
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path, statSync(path).mtimeMs);
  }
  return files;
}

export function sameSnapshot(a: FolderSnapshot, b: FolderSnapshot): boolean {
  return a.size === b.size && [...a].every(([path, mtime]) => b.get(path) === mtime);
}

/**
 * True when `dist` (as `snapshot`) holds a `.js` and a `.d.ts` for each of `entries` and every
 * file of it is newer than every build input: it is what a build would produce now.
 */
export function isFreshBuild(dist: string, snapshot: FolderSnapshot, entries: readonly string[]): boolean {
  if (!entries.every((entry) => snapshot.has(join(dist, `${entry}.js`)) && snapshot.has(join(dist, `${entry}.d.ts`)))) return false;
  let newestInput = 0;
  for (const input of BUILD_INPUTS) {
    const path = join(repositoryRoot, input);
    if (!existsSync(path)) continue;
    if (statSync(path).isFile()) newestInput = Math.max(newestInput, statSync(path).mtimeMs);
    else for (const mtime of snapshotOf(path).values()) newestInput = Math.max(newestInput, mtime);
  }
  return [...snapshot.values()].every((mtime) => mtime > newestInput);
}
