/**
 * Runs every `bench/*.ts` file in sequence, each in its own Node process so one benchmark's JIT
 * state and heap never colour the next one's numbers. Benchmarks print PASS/MISS for their
 * targets and never fail on a timing; this runner exits non-zero only when a benchmark crashes.
 *
 * Run: `pnpm run bench` from the repository root (after `pnpm run build`), or `node bench/run-all.ts`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = dirname(fileURLToPath(import.meta.url));
const self = basename(fileURLToPath(import.meta.url));
/** Long runs (minutes to half an hour), started by hand: see README.md. */
const LONG_RUNNING = new Set(['soak.ts', 'spawn-churn.ts']);
const files = readdirSync(benchDir)
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts') && name !== self && !name.startsWith('.') && !LONG_RUNNING.has(name))
  .sort();

const crashed: string[] = [];
for (const file of files) {
  console.log(`\n=== ${file} ===`);
  const result = spawnSync(process.execPath, [join(benchDir, file)], { cwd: benchDir, stdio: 'inherit' });
  if (result.status !== 0) crashed.push(`${file} (${result.signal ?? `exit ${result.status}`})`);
}
console.log(`\n${files.length - crashed.length}/${files.length} benchmarks ran${crashed.length === 0 ? '' : `; crashed: ${crashed.join(', ')}`}`);
if (crashed.length > 0) process.exitCode = 1;
