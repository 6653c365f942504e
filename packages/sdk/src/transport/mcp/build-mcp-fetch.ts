import { CaracalError } from '../../errors.ts';
import type { Clock } from '../../time/clock.ts';
import { compose } from '../compose.ts';
import { fetchDispatch, type DispatchRequest, type FetchLike } from '../dispatch.ts';
import { fetchFromDispatch } from '../fetch-from-dispatch.ts';
import { withNetworkErrors } from '../interceptors/with-network-errors.ts';
import { withTokenExchange } from '../interceptors/with-token-exchange.ts';
import { withTraceContext } from '../interceptors/with-trace-context.ts';
import { sendWithOneTraceparent } from '../send-with-one-traceparent.ts';
import { ReusableMandates } from '../reusable-mandates.ts';
import { resolveExchanger, type TokenExchanger } from '../token-exchanger.ts';
import { MCP_ACTING_METHODS } from '@caracal/protocol';
import { mcpRequestActs, parseJsonBody } from '../../model/mcp-acting-request.ts';
import { withJsonRpcTraceMeta } from './with-json-rpc-trace-meta.ts';
import { withToolCallEvents, type ToolCallRecorder } from './with-tool-call-events.ts';

/**
 * Options of {@link createMcpFetch}.
 * @since 0.1.0
 */
export interface McpFetchOptions {
  /** The client that exchanges mandates. @default the module-level default client (`configure()` or the environment) */
  readonly caracal?: TokenExchanger | undefined;
  /** RFC 8707 resource indicator of the MCP server, e.g. `mcp://tools.local`: the audience of every mandate sent to it. */
  readonly resource: string;
  /** Scopes to ask for. @default undefined (what the STS grants for the resource) */
  readonly scopes?: readonly string[] | undefined;
  /**
   * JSON-RPC methods that act (exercise authority): a request (or batch) containing one of them
   * always gets a fresh per-call mandate, minted for that request alone, which spends one unit of
   * the delegation budget. Keep it equal to the receiver's `mcp.actingMethods`.
   * @default MCP_ACTING_METHODS (['tools/call'])
   */
  readonly methods?: readonly string[] | undefined;
  /**
   * How every other request to the server is authorized: `initialize`, notifications,
   * `tools/list` and other reads, responses to server requests, the GET SSE stream and the
   * session DELETE. A protected server needs a mandate on those too.
   * - `'protocol'` (default): a fresh protocol mandate for each (`use: "protocol"`). It spends no
   *   delegation budget, so `budget: N` means N tool calls, and it authorizes no acting request:
   *   the receiver must be told it serves MCP (`verifyNode…({ verifier, mcp: true })`).
   * - `'exchange'`: a fresh per-call mandate for each, as for tools/call; each spends budget. For
   *   receivers that take per-call mandates only.
   * - `'reuse'`: they present one per-call mandate for the same resource, minted in the same
   *   context and reused until shortly before it expires; fewer exchanges, but only for servers
   *   whose verifier accepts a mandate more than once (`oneShot: false`).
   * @default 'protocol'
   */
  readonly otherRequests?: 'protocol' | 'reuse' | 'exchange' | undefined;
  /** The fetch that sends the request. @default globalThis.fetch */
  readonly fetch?: FetchLike | undefined;
  /** Time source for the reuse window. @default systemClock */
  readonly clock?: Clock | undefined;
  /**
   * Record each `tools/call` on the current session's timeline, through the client's `timeline`:
   * a `pre_tool` event (tool name, arguments) before it is sent and a `post_tool` event (arguments,
   * and the result or the error) when its response arrives. Arguments and outcomes are redacted
   * (values under keys such as `authorization`, `token`, `secret`, `password`, `api_key`; bearer
   * tokens and JWTs anywhere) and truncated past 16 KiB; headers are never recorded. Recording
   * never delays or fails the call.
   * @default false
   */
  readonly recordToolCalls?: boolean | undefined;
}


const decoder = new TextDecoder();
const textOf = (body: DispatchRequest['body']): string => (body === undefined ? '' : typeof body === 'string' ? body : decoder.decode(body));

/** The timeline of a client, when it has one (a `Caracal` does; a bare exchanger may not). */
function recorderOf(client: TokenExchanger): ToolCallRecorder | undefined {
  return (client as { timeline?: ToolCallRecorder }).timeline;
}

function checkOptions(options: McpFetchOptions): void {
  if (typeof options?.resource !== 'string' || options.resource.length === 0) {
    throw new CaracalError('INVALID_ARGUMENT', 'createMcpFetch(): resource must be the MCP server\'s resource identifier, e.g. "mcp://tools.local".');
  }
  if (options.methods !== undefined && (!Array.isArray(options.methods) || !options.methods.every((method) => typeof method === 'string'))) {
    throw new CaracalError('INVALID_ARGUMENT', 'createMcpFetch(): methods must be an array of JSON-RPC method names.');
  }
  if (options.recordToolCalls !== undefined && typeof options.recordToolCalls !== 'boolean') {
    throw new CaracalError('INVALID_ARGUMENT', 'createMcpFetch(): recordToolCalls must be a boolean.');
  }
  if (options.recordToolCalls === true && options.caracal !== undefined && typeof recorderOf(options.caracal)?.record !== 'function') {
    throw new CaracalError('INVALID_ARGUMENT', 'createMcpFetch(): recordToolCalls needs a Caracal client as caracal (one with a timeline).');
  }
  if (options.otherRequests !== undefined && !['protocol', 'reuse', 'exchange'].includes(options.otherRequests)) {
    throw new CaracalError('INVALID_ARGUMENT', "createMcpFetch(): otherRequests must be 'protocol', 'reuse' or 'exchange'.");
  }
}

/**
 * `createMcpFetch()`, with the exchanger to use when `options.caracal` is absent passed in by the
 * entry (the module-level default client), so transport code never imports the root client.
 * @internal
 */
export function buildMcpFetch(options: McpFetchOptions, defaultExchanger: () => TokenExchanger): FetchLike {
  checkOptions(options);
  const methods = new Set(options.methods ?? MCP_ACTING_METHODS);
  const needsAuthority = (request: DispatchRequest): boolean => mcpRequestActs(request.method, parseJsonBody(textOf(request.body)), methods);
  const reuseOthers = options.otherRequests === 'reuse';
  const protocolOthers = (options.otherRequests ?? 'protocol') === 'protocol';
  const exchanger = resolveExchanger(options.caracal, defaultExchanger);
  const recording = options.recordToolCalls === true ? [withToolCallEvents(() => recorderOf(exchanger()))] : [];
  const send = compose(
    ...recording,
    withTraceContext({ spanName: 'caracal.mcp.request' }),
    withJsonRpcTraceMeta(),
    withTokenExchange({
      exchanger,
      resource: options.resource,
      scopes: options.scopes,
      mayReuse: reuseOthers ? (request) => !needsAuthority(request) : undefined,
      reusableMandates: reuseOthers ? new ReusableMandates({ clock: options.clock }) : undefined,
      protocolOnly: protocolOthers ? (request) => !needsAuthority(request) : undefined,
    }),
    withNetworkErrors(),
  )(sendWithOneTraceparent(fetchDispatch(options.fetch)));
  return fetchFromDispatch(send);
}
