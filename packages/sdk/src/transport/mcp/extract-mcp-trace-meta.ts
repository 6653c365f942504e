import type { CaracalLineage } from '../../propagation/lineage.ts';
import { extract } from '../../propagation/extract.ts';

/**
 * Server side of {@link withMcpTraceMeta}: the lineage carried in a JSON-RPC request's
 * `params._meta` (`traceparent`, `tracestate`, `baggage`), or `null` when there is no valid
 * `traceparent`. Accepts the raw JSON-RPC message or the request object an MCP server handler
 * receives (anything with `params._meta`). Never throws.
 *
 * UNTRUSTED, like headers: use it for tracing and logs; authority comes only from a verified
 * mandate.
 * @example
 * server.setRequestHandler(CallToolRequestSchema, async (request) => {
 *   const lineage = extractMcpTraceMeta(request);
 *   log.info({ traceId: lineage?.traceId, session: lineage?.agentSessionId });
 * });
 * @since 0.1.0
 */
export function extractMcpTraceMeta(request: unknown): CaracalLineage | null {
  const params = (request as { params?: unknown } | null | undefined)?.params;
  const meta = (params as { _meta?: unknown } | null | undefined)?._meta;
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return null;
  const headers: Record<string, string> = {};
  for (const key of ['traceparent', 'tracestate', 'baggage'] as const) {
    const value = (meta as Record<string, unknown>)[key];
    if (typeof value === 'string') headers[key] = value;
  }
  return extract(headers);
}
