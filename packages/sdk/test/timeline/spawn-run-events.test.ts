import { describe, expect } from 'vitest';
import { CaracalError, type CleanupErrorEvent } from '../../src/index.ts';
import { clientTest } from '../support/client-fixture.ts';
import { sendJson } from '../support/fake-caracal-server.ts';
import { testClient } from '../support/test-client.ts';
import { eventsTo } from './timeline-support.ts';

const typesOf = (events: ReadonlyArray<{ event_type: string }>): string[] => events.map((event) => event.event_type);

describe('spawn() records its run on the session timeline', () => {
  clientTest('run_start before fn, run_completed after, all on the server before the session is terminated', async ({ server, caracal }) => {
    // What the server had answered about events when the termination arrived.
    const answered: string[] = [];
    const storedAtTermination: number[] = [];
    server.route('POST /sessions/*/events', (request, response) => {
      response.on('finish', () => answered.push(...(request.json as unknown as Array<{ event_type: string }>).map((event) => event.event_type)));
      sendJson(response, 201, { ok: true, events: [] });
    });
    server.route('DELETE /zones/*/agents/*', (_request, response) => {
      storedAtTermination.push(answered.length);
      sendJson(response, 200, { terminated_sessions: 0, revoked_edges: 0 });
    });
    const sessionId = await caracal.spawn({}, (context) => context.agentSessionId as string);
    expect(storedAtTermination).toEqual([2]);
    expect(typesOf(eventsTo(server, sessionId))).toEqual(['run_start', 'run_completed']);
    const paths = server.requests.map((request) => `${request.method} ${request.path}`);
    const lastEvents = paths.lastIndexOf(`POST /sessions/${sessionId}/events`);
    expect(lastEvents).toBeGreaterThan(-1);
    expect(paths.indexOf(`DELETE /zones/zone_test/agents/${sessionId}`)).toBeGreaterThan(lastEvents);
  });

  clientTest('with recordResult, fn\'s value is the result event, before run_completed: a string as result_text, JSON as result_data', async ({ server, caracal }) => {
    const textSession = await caracal.spawn({ recordResult: true }, (context) => {
      expect(context.agentSessionId).toBeDefined();
      return 'the answer';
    });
    expect(textSession).toBe('the answer');
    const dataSession = await caracal.spawn({ recordResult: true }, async (context) => ({ session: context.agentSessionId, pages: [1, 2] }));
    const byType = (sessionId: string) => eventsTo(server, sessionId);
    const textEvents = eventsTo(server).filter((event) => event.event_type === 'result');
    expect(textEvents[0]).toMatchObject({ result_text: 'the answer' });
    expect(textEvents[0]?.result_data).toBeUndefined();
    expect(typesOf(byType(dataSession.session as string))).toEqual(['run_start', 'result', 'run_completed']);
    expect(byType(dataSession.session as string)[1]).toMatchObject({ result_data: { session: dataSession.session, pages: [1, 2] } });
  });

  clientTest('without recordResult no result is recorded, and with recordRun: false nothing at all', async ({ server, caracal }) => {
    const plain = await caracal.spawn({}, (context) => context.agentSessionId as string);
    const silent = await caracal.spawn({ recordRun: false }, (context) => context.agentSessionId as string);
    expect(typesOf(eventsTo(server, plain))).toEqual(['run_start', 'run_completed']);
    expect(eventsTo(server, silent)).toEqual([]);
  });

  clientTest('a failing fn records run_failed with its message, tokens redacted and no stack, then rethrows', async ({ server, caracal }) => {
    let sessionId = '';
    const failure = new Error('tool refused: Authorization: Bearer abc.def.ghi was rejected');
    await expect(
      caracal.spawn({ recordResult: true }, (context) => {
        sessionId = context.agentSessionId as string;
        throw failure;
      }),
    ).rejects.toBe(failure);
    const events = eventsTo(server, sessionId);
    expect(typesOf(events)).toEqual(['run_start', 'run_failed']);
    expect(events[1]?.error).toBe('Error: tool refused: Authorization: Bearer [redacted] was rejected');
    const typed = await caracal.spawn({}, (context) => context.agentSessionId as string);
    await expect(caracal.spawn({}, () => Promise.reject(new CaracalError('FORBIDDEN', 'no')))).rejects.toThrow('no');
    const last = eventsTo(server).at(-1);
    expect(last).toMatchObject({ event_type: 'run_failed', error: 'CaracalError [FORBIDDEN]: no' });
    expect(typed).toBeDefined();
  });

  clientTest('nested spawns record each run on its own session', async ({ server, caracal }) => {
    const ids = await caracal.spawn({}, async (parent) => {
      const child = await caracal.spawn({}, (context) => context.agentSessionId as string);
      return { parent: parent.agentSessionId as string, child };
    });
    expect(typesOf(eventsTo(server, ids.child))).toEqual(['run_start', 'run_completed']);
    expect(typesOf(eventsTo(server, ids.parent))).toEqual(['run_start', 'run_completed']);
  });

  clientTest('a timeline server that refuses everything changes nothing for the agent: same result, no cleanup error', async ({ server }) => {
    server.route('POST /sessions/*/events', (_request, response) => sendJson(response, 503, { error: 'unavailable', error_description: 'down' }));
    const cleanups: CleanupErrorEvent[] = [];
    const { caracal } = testClient(server, { onCleanupError: (event) => void cleanups.push(event) });
    await expect(caracal.spawn({ recordResult: true }, () => 'still fine')).resolves.toBe('still fine');
    expect(cleanups).toEqual([]);
    expect(caracal.timeline.stats()).toMatchObject({ sent: 0, failed: 3, dropped: 0 });
    expect(server.requestsTo('DELETE /zones/*/agents/*')).toHaveLength(1);
    await caracal.close();
  });
});
