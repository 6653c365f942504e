import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SESSIONS_REVOKE_TOPIC, sseRevocationSource, type VerifierFetch, type VerifierFetchResponse, type Revocation } from '../../src/verify/index.ts';
import { feedEvent } from './helpers/revoked.ts';

/** Distinct from every reconnect wait, so the feed-health countdown can be told apart. */
const DOWN_AFTER_MS = 60_000;

const ZONE = 'zone_stream';
const encoder = new TextEncoder();

const revoke = (sessionId: string, streamId: string): { id: string; data: unknown } =>
  feedEvent({ topic: SESSIONS_REVOKE_TOPIC, type: 'session_revoked', zoneId: ZONE, streamId, payload: { session_id: sessionId } });

function response(body: AsyncIterable<Uint8Array>): VerifierFetchResponse {
  return { ok: true, status: 200, headers: { get: () => null }, body, json: async () => ({}) };
}

/** A body that stays open, sending nothing, until the request is aborted (what a quiet live feed does). */
function openUntilAborted(signal: AbortSignal | undefined): AsyncIterable<Uint8Array> {
  const aborted = new Promise<IteratorResult<Uint8Array>>((resolve) => {
    if (signal?.aborted === true) resolve({ done: true, value: undefined });
    signal?.addEventListener('abort', () => resolve({ done: true, value: undefined }), { once: true });
  });
  return { [Symbol.asyncIterator]: () => ({ next: () => aborted }) };
}

/**
 * Runs the SSE source over one connection that delivers exactly `chunks`, then ends. Resolves once
 * the source has reconnected, with the revocations heard, the reconnect wait and its headers.
 */
async function readConnection(chunks: readonly string[]): Promise<{ revocations: Revocation[]; errors: unknown[]; wait: number; resumeHeaders: Record<string, string> }> {
  const revocations: Revocation[] = [];
  const errors: unknown[] = [];
  const waits: number[] = [];
  let reconnected!: (headers: Record<string, string>) => void;
  const reconnect = new Promise<Record<string, string>>((resolve) => {
    reconnected = resolve;
  });
  let calls = 0;
  const fetch: VerifierFetch = async (_url, init) => {
    calls += 1;
    if (calls === 1) return response((async function* () { for (const chunk of chunks) yield encoder.encode(chunk); })());
    reconnected(init.headers);
    return response(openUntilAborted(init.signal));
  };
  const source = sseRevocationSource({
    url: 'http://feed.invalid',
    zoneId: ZONE,
    token: 'session-mandate',
    replayMs: 0,
    fetch,
    onError: (error) => errors.push(error),
    clock: { now: () => Date.now(), sleep: async (ms) => void waits.push(ms) },
    reconnect: { minDelayMs: 7, maxDelayMs: 7, jitter: 0 },
    downAfterMs: DOWN_AFTER_MS,
  });
  source.store.onRevoked((revocation) => revocations.push(revocation));
  const resumeHeaders = await reconnect;
  await source.close();
  // The feed-health countdown sleeps on the same clock; the reconnect wait is the other one.
  return { revocations, errors, wait: waits.find((ms) => ms !== DOWN_AFTER_MS)!, resumeHeaders };
}

describe('the SSE revocation source reads the event stream', () => {
  const first = revoke('agentsess_1', `${Date.now()}-0`);
  const second = revoke('agentsess_2', `${Date.now() + 1}-0`);

  it('with ids, names, multi-line data, comments and retry', async () => {
    const text = `: connected\n\nid: ${first.id}\nevent: ${SESSIONS_REVOKE_TOPIC}\ndata: ${JSON.stringify(first.data)}\n\nretry: 2000\n\nevent: ready\ndata: {"cursor":\ndata: "x"}\n\n`;
    const read = await readConnection([text]);
    expect(read.revocations.map((revocation) => revocation.sessionIds)).toEqual([['agentsess_1']]);
    expect(read.errors).toEqual([]);
    expect(read.wait).toBe(2000);
    expect(read.resumeHeaders['last-event-id']).toBe(first.id);
  });

  it('whatever the line ends (CR, LF, CRLF) and however the stream is split', async () => {
    const text = `id: ${first.id}\r\ndata: ${JSON.stringify(first.data)}\r\n\r\n: heartbeat\r\rid: ${second.id}\ndata: ${JSON.stringify(second.data)}\n\n`;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }), async (cuts) => {
        const points = [...new Set(cuts)].sort((left, right) => left - right);
        const chunks = [...points, text.length].map((point, index, all) => text.slice(index === 0 ? 0 : all[index - 1], point));
        const read = await readConnection(chunks);
        expect(read.revocations.map((revocation) => revocation.sessionIds)).toEqual([['agentsess_1'], ['agentsess_2']]);
        expect(read.resumeHeaders['last-event-id']).toBe(second.id);
      }),
      { numRuns: 30 },
    );
  });

  it('ends a connection whose line never ends (over 1 MiB), then resumes from the last id', async () => {
    const text = `id: ${first.id}\ndata: ${JSON.stringify(first.data)}\n\ndata: ${'x'.repeat(1024 * 1024 + 1)}`;
    const read = await readConnection([text.slice(0, 1000), text.slice(1000)]);
    expect(read.revocations.map((revocation) => revocation.sessionIds)).toEqual([['agentsess_1']]);
    expect(read.errors).toEqual([expect.objectContaining({ code: 'INVALID_RESPONSE' })]);
    expect(read.wait).toBe(7);
    expect(read.resumeHeaders['last-event-id']).toBe(first.id);
  });

  it('never throws on arbitrary text', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string()), async (chunks) => {
        const read = await readConnection(chunks);
        expect(read.wait).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 30 },
    );
  });
});
