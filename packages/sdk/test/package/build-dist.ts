// Builds the package the way `pnpm run build` does, but into a private folder laid out as an
// installed package (<out>/node_modules/@caracal/sdk/{package.json,dist}), so the exports test
// never races a concurrent build of packages/sdk/dist. Entries whose source does not exist yet
// are left out and reported. Run with: node build-dist.ts <out>
//
// When packages/sdk/dist is newer than every input of the build (as after `pnpm run build`), it
// is copied instead: the declaration build costs some 25 s of CPU and would produce the same
// files. A dist that changes while it is copied (a concurrent build) is not trusted: the package
// is built then.
import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Options } from 'tsup';
import config from '../../tsup.config.ts';
import { isFreshBuild, sameSnapshot, snapshotOf } from './fresh-dist.ts';

const packageRoot = resolve(import.meta.dirname, '../..');
const out = process.argv[2];
if (out === undefined) throw new Error('usage: node build-dist.ts <out>');
const installed = join(out, 'node_modules', '@caracal', 'sdk');
mkdirSync(installed, { recursive: true });
copyFileSync(join(packageRoot, 'package.json'), join(installed, 'package.json'));

const options = config as Options;
const entries = Object.entries(options.entry as Record<string, string>);
const present = Object.fromEntries(entries.filter(([, source]) => existsSync(join(packageRoot, source))));
const report = JSON.stringify({ built: Object.keys(present), missing: entries.filter(([name]) => !(name in present)) });

/** Copies packages/sdk/dist when it is a fresh build that stays unchanged meanwhile; true when copied. */
function copyFreshDist(): boolean {
  const dist = join(packageRoot, 'dist');
  const before = snapshotOf(dist);
  if (!isFreshBuild(dist, before, Object.keys(present))) return false;
  cpSync(dist, join(installed, 'dist'), { recursive: true });
  if (sameSnapshot(before, snapshotOf(dist))) return true;
  rmSync(join(installed, 'dist'), { recursive: true, force: true });
  return false;
}

if (!copyFreshDist()) {
  process.chdir(packageRoot);
  await build({ ...options, entry: present, outDir: join(installed, 'dist'), sourcemap: false, silent: true });
}
process.stdout.write(report);
