import { describe, expect, it } from 'vitest';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { bind, configure, isCaracalError, timeline, TIMELINE_SEND_ERROR_CHANNEL, type CaracalContext } from '../../src/index.ts';
import { clientTest } from '../support/client-fixture.ts';
import { sendJson, startFakeCaracalServer } from '../support/fake-caracal-server.ts';
import { CLIENT, testClient, TOKEN, ZONE } from '../support/test-client.ts';
import { batchesTo, eventsTo, SESSION } from './timeline-support.ts';

const inSession = (agentSessionId = SESSION): CaracalContext => ({ subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, agentSessionId, hop: 0 });

describe('caracal.timeline', () => {
  clientTest('sends the events recorded in one tick as one batch: a JSON array per session, in order, with the session mandate', async ({ server, caracal }) => {
    const other = `agentsess_${'0'.repeat(25)}2`;
    bind(inSession(), () => {
      caracal.timeline.record({ event_type: 'message', role: 'assistant', content: [{ type: 'text', text: 'one' }] });
      bind(inSession(other), () => caracal.timeline.record({ event_type: 'message', role: 'user' }));
      caracal.timeline.record({ event_type: 'custom.step:2', reason: 'two' });
    });
    await caracal.timeline.flush();
    expect(batchesTo(server, SESSION)).toEqual([
      [expect.objectContaining({ event_type: 'message', role: 'assistant' }), expect.objectContaining({ event_type: 'custom.step:2', reason: 'two' })],
    ]);
    expect(batchesTo(server, other)).toEqual([[expect.objectContaining({ event_type: 'message', role: 'user' })]]);
    const [request] = server.requestsTo(`POST /sessions/${SESSION}/events`);
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.headers['content-type']).toMatch(/application\/json/);
    // The client's clock travels as timestamp (the server keeps it as reported_at).
    expect(eventsTo(server)[0]?.timestamp).toBe(new Date(Date.UTC(2025, 0, 1)).toISOString());
    expect(caracal.timeline.stats()).toEqual({ sent: 3, dropped: 0, failed: 0, queued: 0 });
  });

  clientTest('never puts more than 500 events in one request', async ({ server, caracal }) => {
    bind(inSession(), () => {
      for (let index = 0; index < 1200; index++) caracal.timeline.record({ event_type: 'tick', exit_code: index });
    });
    await caracal.timeline.flush();
    expect(batchesTo(server).map((batch) => batch.length)).toEqual([500, 500, 200]);
    expect(eventsTo(server).map((event) => event.exit_code)).toEqual([...Array(1200).keys()]);
  });

  it('bounds the queue: past maxQueuedEvents new events are dropped and counted, and record() says so', async () => {
    const server = await startFakeCaracalServer();
    const { caracal } = testClient(server, { timeline: { maxQueuedEvents: 10 } });
    const accepted = bind(inSession(), () => Array.from({ length: 25 }, (_, index) => caracal.timeline.record({ event_type: 'tick', exit_code: index })));
    expect(accepted.filter(Boolean)).toHaveLength(10);
    expect(caracal.timeline.stats()).toMatchObject({ dropped: 15, queued: 10 });
    await caracal.timeline.flush();
    expect(eventsTo(server).map((event) => event.exit_code)).toEqual([...Array(10).keys()]);
    expect(caracal.timeline.stats()).toEqual({ sent: 10, dropped: 15, failed: 0, queued: 0 });
    await caracal.close();
    await server.close();
  });

  clientTest('counts events the server refuses as failed and keeps going; nothing reaches the agent', async ({ server, caracal }) => {
    let calls = 0;
    server.route('POST /sessions/*/events', (_request, response) => {
      calls++;
      if (calls === 1) sendJson(response, 500, { error: 'server_error', error_description: 'boom' });
      else sendJson(response, 201, { ok: true, events: [] });
    });
    const published: unknown[] = [];
    const listener = (message: unknown): void => void published.push(message);
    subscribe(TIMELINE_SEND_ERROR_CHANNEL, listener);
    try {
      bind(inSession(), () => {
        caracal.timeline.record({ event_type: 'first' });
        caracal.timeline.record({ event_type: 'second' });
      });
      await caracal.timeline.flush();
      bind(inSession(), () => caracal.timeline.record({ event_type: 'third' }));
      await caracal.timeline.flush();
    } finally {
      unsubscribe(TIMELINE_SEND_ERROR_CHANNEL, listener);
    }
    expect(caracal.timeline.stats()).toEqual({ sent: 1, dropped: 0, failed: 2, queued: 0 });
    expect(published).toEqual([{ error: expect.objectContaining({ code: 'SERVER_ERROR', status: 500 }), sessionId: SESSION, count: 2 }]);
  });

  it('counts events as failed when the server is unreachable, after the retries for connection failures', async () => {
    const server = await startFakeCaracalServer();
    const { url } = server;
    await server.close();
    const { caracal, clock } = testClient({ ...server, url }, { retry: { retries: 2 } });
    const recorded = bind(inSession(), () => caracal.timeline.record({ event_type: 'lost' }));
    expect(recorded).toBe(true);
    await caracal.timeline.flush();
    expect(caracal.timeline.stats()).toEqual({ sent: 0, dropped: 0, failed: 1, queued: 0 });
    // Connection refused proves nothing was stored, so even this non-idempotent post was retried.
    expect(clock.sleeps).toEqual([200, 400]);
    await caracal.close();
  });

  it('flush() gives up after flushTimeoutMs when the server does not answer; the event stays counted as queued', async () => {
    const server = await startFakeCaracalServer();
    server.route('POST /sessions/*/events', () => undefined);
    const { caracal } = testClient(server, { timeline: { flushTimeoutMs: 1 } });
    bind(inSession(), () => caracal.timeline.record({ event_type: 'stuck' }));
    await caracal.timeline.flush();
    expect(caracal.timeline.stats()).toMatchObject({ sent: 0, queued: 1 });
    await server.close();
    await caracal.close();
  });

  clientTest('truncates large fields with a marker so the event stays within the server limit', async ({ server, caracal }) => {
    const big = 'é'.repeat(100_000);
    bind(inSession(), () => caracal.timeline.record({ event_type: 'post_tool', tool_name: 'x'.repeat(300), tool_output: { text: big }, result_text: big }));
    await caracal.timeline.flush();
    const [event] = eventsTo(server);
    expect(Buffer.byteLength(JSON.stringify(event))).toBeLessThanOrEqual(64 * 1024);
    expect(event?.result_text).toMatch(/…\[truncated \d+ bytes\]$/);
    expect(event?.tool_output).toMatchObject({ _truncated: true, bytes: expect.any(Number), preview: expect.stringMatching(/^\{"text":"é+…\[truncated/) });
    expect(Buffer.byteLength(event?.tool_name as string)).toBeLessThanOrEqual(256);
    expect(event?.tool_name).toMatch(/^x+…\[truncated \d+ bytes\]$/);
  });

  clientTest('refuses misuse with typed errors before queuing anything', async ({ server, caracal }) => {
    const codeOf = (fn: () => unknown): string | undefined => {
      try {
        fn();
      } catch (error) {
        return isCaracalError(error) ? error.code : 'untyped';
      }
      return undefined;
    };
    expect(codeOf(() => caracal.timeline.record({ event_type: 'outside' }))).toBe('NO_ACTIVE_CONTEXT');
    expect(codeOf(() => bind({ subjectToken: TOKEN, zoneId: ZONE, clientId: CLIENT, hop: 0 }, () => caracal.timeline.record({ event_type: 'x' })))).toBe('NO_AGENT_SESSION');
    bind(inSession(), () => {
      expect(codeOf(() => caracal.timeline.record({ event_type: 'has space' }))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => caracal.timeline.record({ event_type: 'x', colour: 'red' } as never))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => caracal.timeline.record({ event_type: 'x', run_id: 'no spaces allowed' }))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => caracal.timeline.record({ event_type: 'x', tool_input: [] as never }))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => caracal.timeline.record({ event_type: 'x', content: ['text'] as never }))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => caracal.timeline.record({ event_type: 'x', timestamp: 'yesterday' }))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => caracal.timeline.record({ event_type: 'run_completed', session_status: 'paused' as never }))).toBe('INVALID_ARGUMENT');
      expect(codeOf(() => caracal.timeline.result(null as never))).toBe('INVALID_ARGUMENT');
    });
    await caracal.timeline.flush();
    expect(batchesTo(server)).toEqual([]);
    expect(caracal.timeline.stats()).toEqual({ sent: 0, dropped: 0, failed: 0, queued: 0 });
  });

  clientTest('result() records a result event with result_text and result_data', async ({ server, caracal }) => {
    bind(inSession(), () => caracal.timeline.result({ result_text: 'done', result_data: { pages: 3 } }));
    await caracal.timeline.flush();
    expect(eventsTo(server)).toEqual([expect.objectContaining({ event_type: 'result', result_text: 'done', result_data: { pages: 3 } })]);
  });

  clientTest('inside a delegation to another application\'s session, records on its own session', async ({ server, caracal }) => {
    const own = `agentsess_${'0'.repeat(25)}3`;
    bind({ ...inSession(`agentsess_${'0'.repeat(25)}9`), actingSessionId: own }, () => caracal.timeline.record({ event_type: 'message' }));
    await caracal.timeline.flush();
    expect(batchesTo(server, own)).toHaveLength(1);
  });

  clientTest('the module-level timeline records through the default client', async ({ server, caracal }) => {
    configure(caracal);
    expect(() => timeline.record({ event_type: 'outside' })).toThrow(expect.objectContaining({ code: 'NO_ACTIVE_CONTEXT' }));
    bind(inSession(), () => {
      timeline.record({ event_type: 'via_default' });
      timeline.result({ result_text: 'ok' });
    });
    await timeline.flush();
    expect(eventsTo(server).map((event) => event.event_type)).toEqual(['via_default', 'result']);
    expect(timeline.stats()).toMatchObject({ sent: 2 });
  });
});
