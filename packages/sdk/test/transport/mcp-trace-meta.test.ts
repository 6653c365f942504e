import { describe, expect, it } from 'vitest';
import { bind } from '../../src/context/bind.ts';
import { extractMcpTraceMeta, traceMcpTransport, withMcpTraceMeta } from '../../src/transport/mcp/index.ts';
import { agentContext, TRACE_ID } from './helpers/contexts.ts';

const call = { jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'search', arguments: { q: 'x' } } } as const;

describe('withMcpTraceMeta', () => {
  it('adds trace keys to params._meta inside a context, without touching the original', () => {
    const tagged = bind(agentContext, () => withMcpTraceMeta(call));
    expect(tagged).toEqual({
      ...call,
      params: {
        ...call.params,
        _meta: { traceparent: expect.stringMatching(new RegExp(`^00-${TRACE_ID}-`)), tracestate: 'vendor=abc', baggage: expect.stringContaining('caracal.hop=2') },
      },
    });
    expect(call.params).not.toHaveProperty('_meta');
  });

  it('keeps _meta keys the sender set, trace keys included', () => {
    const own = { ...call, params: { ...call.params, _meta: { progressToken: 5, traceparent: 'theirs' } } };
    const tagged = bind(agentContext, () => withMcpTraceMeta(own));
    expect(tagged.params._meta).toMatchObject({ progressToken: 5, traceparent: 'theirs', tracestate: 'vendor=abc' });
  });

  it('returns the message unchanged outside a context, for responses and for positional params', () => {
    expect(withMcpTraceMeta(call)).toBe(call);
    const response = { jsonrpc: '2.0', id: 3, result: {} };
    const positional = { jsonrpc: '2.0', id: 4, method: 'legacy', params: [1, 2] };
    expect(bind(agentContext, () => withMcpTraceMeta(response))).toBe(response);
    expect(bind(agentContext, () => withMcpTraceMeta(positional))).toBe(positional);
  });
});

describe('extractMcpTraceMeta', () => {
  it('reads back the lineage a traced message carries', () => {
    const lineage = extractMcpTraceMeta(bind(agentContext, () => withMcpTraceMeta(call)));
    expect(lineage).toMatchObject({ traceId: TRACE_ID, agentSessionId: 'agentsess_01', delegationEdgeId: 'deledge_01', hop: 2, traceState: 'vendor=abc', baggage: { tenant: 'acme' } });
  });

  it('returns null for anything without a valid traceparent, never throwing', () => {
    for (const input of [undefined, null, 42, {}, { params: null }, { params: { _meta: 'x' } }, { params: { _meta: { traceparent: 7 } } }, { params: { _meta: { traceparent: 'nope' } } }]) {
      expect(extractMcpTraceMeta(input)).toBeNull();
    }
  });
});

describe('traceMcpTransport', () => {
  class FakeStdioTransport {
    readonly sent: unknown[] = [];
    onmessage?: (message: unknown) => void;
    #started = false;
    get started(): boolean {
      return this.#started;
    }
    async start(): Promise<void> {
      this.#started = true;
    }
    async send(message: unknown): Promise<void> {
      this.sent.push(message);
    }
  }

  it('tags what is sent inside a context and forwards everything else to the real transport', async () => {
    const inner = new FakeStdioTransport();
    const transport = traceMcpTransport(inner);
    await transport.start();
    expect(transport.started).toBe(true);
    const received: unknown[] = [];
    transport.onmessage = (message) => received.push(message);
    inner.onmessage?.('from server');
    expect(received).toEqual(['from server']);

    await bind(agentContext, () => transport.send(call));
    await transport.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    expect(extractMcpTraceMeta(inner.sent[0])?.traceId).toBe(TRACE_ID);
    expect(inner.sent[1]).toEqual({ jsonrpc: '2.0', method: 'notifications/initialized' });
  });
});
