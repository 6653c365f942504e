// Type tests for `@caracal/sdk/mcp` and `@caracal/sdk/a2a`: the fetch hooks the MCP and A2A
// client SDKs accept, and the stdio trace helpers.
import type { Caracal } from '@caracal/sdk';
import { A2A_RETRY_POLICY, createA2AFetch, type A2AFetchOptions, type FetchLike, type RetryPolicy } from '@caracal/sdk/a2a';
import type * as a2a from '@caracal/sdk/a2a';
import { createMcpFetch, extractMcpTraceMeta, traceMcpTransport, withMcpTraceMeta, type McpFetchOptions, type TokenExchanger } from '@caracal/sdk/mcp';
import type * as mcp from '@caracal/sdk/mcp';
import type { CaracalLineage } from '@caracal/sdk/propagation';
import { describe, expectTypeOf, test } from 'vitest';

declare const caracal: Caracal;

/** The fetch hook of the MCP SDK's HTTP client transports (`FetchLike` there). */
type McpClientFetch = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** A stdio-like MCP transport: extra members, and a `send` typed with its own message type. */
interface StdioLikeTransport {
  send(message: { jsonrpc: '2.0'; method: string }, options?: { relatedRequestId?: number }): Promise<void>;
  start(): Promise<void>;
  onmessage?: (message: unknown) => void;
  readonly pid: number | null;
}
declare const stdio: StdioLikeTransport;
declare const notATransport: Omit<StdioLikeTransport, 'send'>;

describe('surfaces', () => {
  test('@caracal/sdk/mcp and @caracal/sdk/a2a export exactly these values', () => {
    expectTypeOf<keyof typeof mcp>().toEqualTypeOf<'MCP_ACTING_METHODS' | 'createMcpFetch' | 'extractMcpTraceMeta' | 'traceMcpTransport' | 'withMcpTraceMeta'>();
    expectTypeOf<keyof typeof a2a>().toEqualTypeOf<'A2A_RETRY_POLICY' | 'createA2AFetch'>();
  });
});

describe('createMcpFetch', () => {
  test('returns a fetch the MCP client transports and the platform accept', () => {
    const fetch = createMcpFetch({ resource: 'mcp://tools.local' });
    expectTypeOf(fetch).toEqualTypeOf<FetchLike>();
    expectTypeOf(fetch).toExtend<McpClientFetch>();
    expectTypeOf(fetch).toExtend<typeof globalThis.fetch>();
    expectTypeOf(fetch('https://tools.local/mcp', { method: 'POST', body: '{}' })).toEqualTypeOf<Promise<Response>>();
  });

  test('takes a Caracal client (or any exchanger) and typed options', () => {
    expectTypeOf(caracal).toExtend<TokenExchanger>();
    void createMcpFetch({ caracal, resource: 'mcp://tools.local', scopes: ['tools:call'], methods: ['tools/call'], otherRequests: 'reuse', fetch: globalThis.fetch });
    void createMcpFetch({ caracal: { exchange: async () => ({ accessToken: 't' }) }, resource: 'mcp://tools.local' });
    expectTypeOf<NonNullable<McpFetchOptions['otherRequests']>>().toEqualTypeOf<'protocol' | 'reuse' | 'exchange'>();
    // @ts-expect-error -- resource (the audience of every mandate) is required
    void createMcpFetch({ scopes: ['tools:call'] });
    // @ts-expect-error -- not a mode
    void createMcpFetch({ resource: 'mcp://tools.local', otherRequests: 'always' });
    // @ts-expect-error -- scopes are a list, not a space-separated string
    void createMcpFetch({ resource: 'mcp://tools.local', scopes: 'tools:call' });
    // @ts-expect-error -- the exchanger must return an access token
    void createMcpFetch({ caracal: { exchange: async () => ({ token: 't' }) }, resource: 'mcp://tools.local' });
  });
});

describe('MCP trace helpers (stdio)', () => {
  test('keep the type of the message and of the transport they wrap', () => {
    const message = { jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'search' } } as const;
    expectTypeOf(withMcpTraceMeta(message)).toEqualTypeOf(message);
    expectTypeOf(traceMcpTransport(stdio)).toEqualTypeOf<StdioLikeTransport>();
    // @ts-expect-error -- not a transport: nothing to send with
    void traceMcpTransport(notATransport);
  });

  test('extractMcpTraceMeta reads any request and returns a lineage or null', () => {
    expectTypeOf(extractMcpTraceMeta({ params: { _meta: {} } })).toEqualTypeOf<CaracalLineage | null>();
    expectTypeOf(extractMcpTraceMeta(undefined)).toEqualTypeOf<CaracalLineage | null>();
  });
});

describe('createA2AFetch', () => {
  test('returns a fetch usable as @a2a-js/sdk\'s fetchImpl (typeof fetch)', () => {
    const fetch = createA2AFetch({ resource: 'https://agent-b.internal' });
    expectTypeOf(fetch).toEqualTypeOf<FetchLike>();
    expectTypeOf(fetch).toExtend<typeof globalThis.fetch>();
  });

  test('retries, timeout and retry tuning are typed; the retry count has one place', () => {
    void createA2AFetch({ caracal, resource: 'https://agent-b.internal', scopes: ['a2a:send'], retries: 2, timeoutMs: 30_000, idempotent: true, retry: { maxDelayMs: 1000 }, random: Math.random });
    expectTypeOf<A2AFetchOptions['retries']>().toEqualTypeOf<number | undefined>();
    expectTypeOf(A2A_RETRY_POLICY).toEqualTypeOf<Omit<RetryPolicy, 'maxElapsedMs' | 'maxRetryAfterMs'>>();
    // @ts-expect-error -- the count is the top-level retries option
    void createA2AFetch({ resource: 'https://agent-b.internal', retry: { retries: 5 } });
    // @ts-expect-error -- timeoutMs is milliseconds, a number
    void createA2AFetch({ resource: 'https://agent-b.internal', timeoutMs: '30s' });
    // @ts-expect-error -- misspelt option (retries)
    void createA2AFetch({ resource: 'https://agent-b.internal', retry_count: 2 });
  });
});
