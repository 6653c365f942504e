import type { FastifyReply } from 'fastify';

/**
 * Starts a hijacked reply as an event stream. A hijacked reply writes only what is written to it
 * raw, so the headers hooks already set on the reply (CORS, for a page on another origin) are
 * copied over first.
 */
export function writeSseHead(reply: FastifyReply, requestId: string): void {
  const response = reply.raw;
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) response.setHeader(name, value);
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': requestId,
  });
}
