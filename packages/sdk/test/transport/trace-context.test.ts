import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bind } from '../../src/context/bind.ts';
import { compose } from '../../src/transport/compose.ts';
import { fetchDispatch, type DispatchRequest } from '../../src/transport/dispatch.ts';
import { withTraceContext } from '../../src/transport/interceptors/with-trace-context.ts';
import { agentContext, TRACE_ID } from './helpers/contexts.ts';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.ts';

let server: RecordingServer;

beforeAll(async () => {
  server = await startRecordingServer();
});

afterAll(() => server.close());

const send = compose(withTraceContext())(fetchDispatch());
const request = (headers: Record<string, string> = {}): DispatchRequest => ({ url: server.url, method: 'GET', headers, body: undefined, signal: undefined });

describe('withTraceContext', () => {
  it('writes traceparent, tracestate and baggage from the current context', async () => {
    await bind(agentContext, () => send(request()));
    const headers = server.requests.at(-1)?.headers ?? {};
    expect(headers.traceparent).toMatch(new RegExp(`^00-${TRACE_ID}-[0-9a-f]{16}-01$`));
    expect(headers.tracestate).toBe('vendor=abc');
    expect(headers.baggage).toBe('caracal.agent_session=agentsess_01,caracal.delegation_edge=deledge_01,caracal.parent_edge=deledge_00,caracal.hop=2,tenant=acme');
  });

  it('keeps a traceparent the caller already set', async () => {
    const own = `00-${TRACE_ID}-00f067aa0ba902b7-01`;
    await bind(agentContext, () => send(request({ traceparent: own })));
    expect(server.requests.at(-1)?.headers.traceparent).toBe(own);
  });

  it('leaves requests outside a context unchanged', async () => {
    await send(request({ 'x-own': 'yes' }));
    const headers = server.requests.at(-1)?.headers ?? {};
    expect(headers.traceparent).toBeUndefined();
    expect(headers.baggage).toBeUndefined();
    expect(headers['x-own']).toBe('yes');
  });
});
