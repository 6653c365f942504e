import type { IncomingMessage } from 'node:http';
import { MCP_ACTING_METHODS } from '@caracal/protocol';
import { mcpRequestActs, parseJsonBody } from '../../model/mcp-acting-request.ts';
import type { VerifyMiddlewareOptions } from './authenticate.ts';

/** What the guard reads of an MCP body at most: MCP's own HTTP transport allows 4 MB. */
export const MAX_MCP_BODY_BYTES = 4 * 1024 * 1024;

/** The acting methods of the `mcp` option, or `undefined` when the route is not MCP. @internal */
export function mcpActingMethods(options: VerifyMiddlewareOptions): ReadonlySet<string> | undefined {
  const { mcp } = options;
  if (mcp === undefined || mcp === false) return undefined;
  return new Set(mcp === true ? MCP_ACTING_METHODS : (mcp.actingMethods ?? MCP_ACTING_METHODS));
}

/** `_body` is the flag body parsers (Express's `express.json()`) check to skip a body already read. */
type BodyHolder = IncomingMessage & { body?: unknown; _body?: boolean };

async function readText(request: IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    // Too large to be an MCP message: count it as acting, without holding more of it.
    if (size > MAX_MCP_BODY_BYTES) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Whether a node:http (or Express) MCP request acts. A POST body already parsed by a body parser
 * (`request.body`) is used as is; otherwise it is read here and left parsed on `request.body`,
 * since the stream can be read only once. @internal
 */
export async function nodeMcpRequestActs(request: IncomingMessage, actingMethods: ReadonlySet<string>): Promise<boolean> {
  const holder = request as BodyHolder;
  if ((request.method ?? '').toUpperCase() === 'POST' && holder.body === undefined && !request.readableEnded) {
    const text = await readText(request);
    if (text === undefined) return true;
    const parsed = parseJsonBody(text);
    holder.body = typeof parsed === 'symbol' ? text : parsed;
    holder._body = true;
  }
  const body = typeof holder.body === 'string' ? parseJsonBody(holder.body) : holder.body;
  return mcpRequestActs(request.method ?? '', body, actingMethods);
}

/** Whether a web-standard MCP request acts; reads a clone, so the handler still gets the body. @internal */
export async function webMcpRequestActs(request: Request, actingMethods: ReadonlySet<string>): Promise<boolean> {
  if (request.method.toUpperCase() !== 'POST') return mcpRequestActs(request.method, undefined, actingMethods);
  const declared = Number(request.headers.get('content-length'));
  if (declared > MAX_MCP_BODY_BYTES) return true;
  const text = await request.clone().text();
  if (text.length > MAX_MCP_BODY_BYTES) return true;
  return mcpRequestActs(request.method, parseJsonBody(text), actingMethods);
}
