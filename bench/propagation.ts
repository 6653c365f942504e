/**
 * Propagation benchmark: Caracal's `inject`/`extract` against OpenTelemetry's CompositePropagator
 * (W3CTraceContextPropagator + W3CBaggagePropagator) doing the same work, in the same process and
 * run, interleaved round by round so machine noise hits both sides alike. Also the cold import
 * time of `@caracal/sdk` and the cost of binding a context and building its headers.
 *
 * Run: `pnpm --filter @caracal/sdk run build && node bench/propagation.ts`. Targets are printed
 * as PASS/MISS lines; timings never change the exit code (these machines are noisy).
 */
import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultTextMapGetter, defaultTextMapSetter, propagation, ROOT_CONTEXT, trace, TraceFlags } from '@opentelemetry/api';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { CaracalContext } from '@caracal/sdk';
import { extract, inject } from '@caracal/sdk/propagation';

const ROUNDS = 7;
const WARMUP_ITERATIONS = 200_000;
const ITERATIONS = 200_000;
const TARGET_INJECT_RATIO = 5;
const TARGET_EXTRACT_RATIO = 4;
const TARGET_IMPORT_MS = 50;
const TARGET_BIND_HEADERS_NS = 2000;

const benchDir = dirname(fileURLToPath(import.meta.url));
let sink = 0;

/** Nanoseconds per call of `fn`, over `iterations` calls. */
function time(fn: () => unknown, iterations: number): number {
  const start = process.hrtime.bigint();
  for (let index = 0; index < iterations; index++) {
    const result = fn();
    // Touch the result so the loop body cannot be optimised away.
    if (result === undefined) sink++;
  }
  return Number(process.hrtime.bigint() - start) / iterations;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Warms both sides, then alternates them for ROUNDS rounds; medians in ns/op. */
function compare(ours: () => unknown, theirs: () => unknown): { ours: number; theirs: number } {
  time(ours, WARMUP_ITERATIONS);
  time(theirs, WARMUP_ITERATIONS);
  const oursRounds: number[] = [];
  const theirsRounds: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    oursRounds.push(time(ours, ITERATIONS));
    theirsRounds.push(time(theirs, ITERATIONS));
  }
  return { ours: median(oursRounds), theirs: median(theirsRounds) };
}

function report(name: string, result: { ours: number; theirs: number }, target: number): void {
  const ratio = result.theirs / result.ours;
  console.log(`${name.padEnd(8)} caracal ${result.ours.toFixed(0).padStart(6)} ns/op   otel ${result.theirs.toFixed(0).padStart(6)} ns/op   ratio ${ratio.toFixed(2)}x`);
  console.log(`${ratio >= target ? 'PASS' : 'MISS'} ${name}: caracal ≥ ${target}x faster than OpenTelemetry (got ${ratio.toFixed(2)}x)`);
}

// The same full context on both sides: traceparent, the four caracal members and two foreign ones.
const ctx: CaracalContext = {
  subjectToken: 'eyJhbGciOiJFUzI1NiJ9.bench.sig',
  zoneId: 'zone_bench',
  clientId: 'app_bench',
  agentSessionId: 'agentsess_01JD8X4Y2Z3K5M6N7P8Q9R0S1T',
  delegationEdgeId: 'deledge_01JD8X4Y2Z3K5M6N7P8Q9R0S2V',
  parentEdgeId: 'deledge_01JD8X4Y2Z3K5M6N7P8Q9R0S1U',
  traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
  traceFlags: '01',
  hop: 2,
  baggage: { tenant: 'acme-corp', region: 'eu-west-1' },
};
const otelPropagator = new CompositePropagator({ propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()] });
const otelContext = propagation.setBaggage(
  trace.setSpanContext(ROOT_CONTEXT, { traceId: ctx.traceId!, spanId: '00f067aa0ba902b7', traceFlags: TraceFlags.SAMPLED }),
  propagation.createBaggage({
    'caracal.agent_session': { value: ctx.agentSessionId! },
    'caracal.delegation_edge': { value: ctx.delegationEdgeId! },
    'caracal.parent_edge': { value: ctx.parentEdgeId! },
    'caracal.hop': { value: String(ctx.hop) },
    tenant: { value: 'acme-corp' },
    region: { value: 'eu-west-1' },
  }),
);
const wireHeaders: Record<string, string> = inject(ctx, {});

console.log(`propagation bench: node ${process.version}, ${ROUNDS} rounds × ${ITERATIONS} ops after ${WARMUP_ITERATIONS} warm-up ops, medians`);
console.log(`headers: ${JSON.stringify(wireHeaders)}`);

report(
  'inject',
  compare(
    () => inject(ctx, {}),
    () => {
      const carrier: Record<string, string> = {};
      otelPropagator.inject(otelContext, carrier, defaultTextMapSetter);
      return carrier;
    },
  ),
  TARGET_INJECT_RATIO,
);
report(
  'extract',
  compare(
    () => extract(wireHeaders),
    () => otelPropagator.extract(ROOT_CONTEXT, wireHeaders, defaultTextMapGetter),
  ),
  TARGET_EXTRACT_RATIO,
);

// (a) Cold import of the root entry, each in a fresh process, timed inside it.
const importScript = "const t = performance.now(); await import('@caracal/sdk'); console.log(performance.now() - t);";
const importTimes: number[] = [];
for (let run = 0; run < 7; run++) {
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', importScript], { cwd: benchDir, encoding: 'utf8' });
  importTimes.push(Number(output.trim()));
}
const importMs = median(importTimes);
console.log(`import   @caracal/sdk cold ${importMs.toFixed(1)} ms (median of ${importTimes.length}: ${importTimes.map((value) => value.toFixed(1)).join(', ')})`);
console.log(`${importMs <= TARGET_IMPORT_MS ? 'PASS' : 'MISS'} import: cold import ≤ ${TARGET_IMPORT_MS} ms (got ${importMs.toFixed(1)} ms)`);

// (b) bind a context and build its outbound headers, in process.
const sdk: Record<string, unknown> = await import('@caracal/sdk');
const { bind, Caracal } = sdk as {
  bind?: <R>(context: CaracalContext, fn: (context: CaracalContext) => R) => R;
  Caracal?: new (options: Record<string, unknown>) => { headers(): unknown };
};
if (typeof bind !== 'function' || typeof Caracal !== 'function') {
  console.log('SKIP bind+headers: @caracal/sdk does not export `bind` and `Caracal` yet');
} else {
  const caracal = new Caracal({
    coordinatorUrl: 'http://127.0.0.1:4000',
    zoneId: ctx.zoneId,
    clientId: ctx.clientId,
    subjectToken: ctx.subjectToken,
  });
  const probe = bind(ctx, () => caracal.headers());
  if (probe !== null && typeof probe === 'object' && typeof (probe as { then?: unknown }).then === 'function') {
    // An async headers() is measured through await, which adds a microtask per call.
    await probe;
    const run = async (iterations: number): Promise<number> => {
      const start = process.hrtime.bigint();
      for (let index = 0; index < iterations; index++) await bind(ctx, () => caracal.headers());
      return Number(process.hrtime.bigint() - start) / iterations;
    };
    await run(WARMUP_ITERATIONS / 4);
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(await run(ITERATIONS / 4));
    reportBind(median(rounds), ' (async headers(), awaited)');
  } else {
    time(() => bind(ctx, () => caracal.headers()), WARMUP_ITERATIONS);
    const rounds: number[] = [];
    for (let round = 0; round < ROUNDS; round++) rounds.push(time(() => bind(ctx, () => caracal.headers()), ITERATIONS));
    reportBind(median(rounds), '');
  }
}

function reportBind(nanoseconds: number, note: string): void {
  console.log(`bind+headers ${nanoseconds.toFixed(0)} ns/op${note}`);
  console.log(`${nanoseconds <= TARGET_BIND_HEADERS_NS ? 'PASS' : 'MISS'} bind+headers: ≤ ${TARGET_BIND_HEADERS_NS} ns (got ${nanoseconds.toFixed(0)} ns)`);
}

if (sink === -1) console.log(sink);
