// Builds the package the way `pnpm run build` does, but into a private folder laid out as an
// installed package (<out>/node_modules/@caracal/sdk/{package.json,dist}), so the exports test
// never races a concurrent build of packages/sdk/dist. Entries whose source does not exist yet
// are left out and reported. Run with: node build-dist.ts <out>
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Options } from 'tsup';
import config from '../../tsup.config.ts';

const packageRoot = resolve(import.meta.dirname, '../..');
const out = process.argv[2];
if (out === undefined) throw new Error('usage: node build-dist.ts <out>');
const installed = join(out, 'node_modules', '@caracal', 'sdk');
mkdirSync(installed, { recursive: true });
copyFileSync(join(packageRoot, 'package.json'), join(installed, 'package.json'));

const options = config as Options;
const entries = Object.entries(options.entry as Record<string, string>);
const present = Object.fromEntries(entries.filter(([, source]) => existsSync(join(packageRoot, source))));
process.chdir(packageRoot);
await build({ ...options, entry: present, outDir: join(installed, 'dist'), sourcemap: false, silent: true });
process.stdout.write(JSON.stringify({ built: Object.keys(present), missing: entries.filter(([name]) => !(name in present)) }));
