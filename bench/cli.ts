/**
 * CLI start-time benchmark: wall time of `caracal --help` from spawn to exit, the built binary run
 * as a user runs it, N times, next to a bare `node -e 0` interleaved run by run so machine noise
 * hits both alike. The ratio says how much the CLI adds on top of starting Node at all.
 *
 * Run: `pnpm --filter @caracal/cli run build && node bench/cli.ts`. The target is printed as a
 * PASS/MISS line; timings never change the exit code (these machines are noisy).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const RUNS = 20;
const WARMUP_RUNS = 3;
const TARGET_MEDIAN_MS = 150;
const cliBin = fileURLToPath(new URL('../packages/cli/dist/bin.js', import.meta.url));

function milliseconds(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { stdio: 'ignore', env: { PATH: process.env.PATH ?? '' } });
  const elapsed = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} exited with ${String(result.status)}`);
  return elapsed;
}

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

if (!existsSync(cliBin)) {
  console.error(`${cliBin} is missing: run \`pnpm --filter @caracal/cli run build\` first`);
  process.exitCode = 1;
} else {
  // Warm-up fills the OS file cache and the CLI's compile cache, as on a machine that used it once.
  for (let run = 0; run < WARMUP_RUNS; run++) milliseconds([cliBin, '--help']);
  const cli: number[] = [];
  const bare: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    cli.push(milliseconds([cliBin, '--help']));
    bare.push(milliseconds(['-e', '0']));
  }
  const cliMedian = percentile(cli, 0.5);
  const bareMedian = percentile(bare, 0.5);
  const format = (value: number): string => `${value.toFixed(1)} ms`;
  console.log(`caracal --help start time, ${RUNS} runs (node ${process.version})`);
  console.log(`  caracal --help  median ${format(cliMedian)}  p90 ${format(percentile(cli, 0.9))}`);
  console.log(`  node -e 0       median ${format(bareMedian)}  p90 ${format(percentile(bare, 0.9))}`);
  console.log(`  ratio           ${(cliMedian / bareMedian).toFixed(2)}x bare node (the CLI adds ${format(cliMedian - bareMedian)})`);
  console.log(`${cliMedian <= TARGET_MEDIAN_MS ? 'PASS' : 'MISS'} caracal --help median ${format(cliMedian)} (target ≤ ${TARGET_MEDIAN_MS} ms)`);
}
