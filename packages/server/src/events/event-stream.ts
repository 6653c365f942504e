import type { ServerResponse } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { writeSseHead } from './sse-head.ts';

/** An open `text/event-stream` answer: write events to `response`; `end()` stops the heartbeat and ends it. */
export interface EventStream {
  readonly response: ServerResponse;
  end(): void;
}

/**
 * Takes `reply` over and starts a `text/event-stream` on it (writeSseHead), with a first comment
 * so the client sees the stream open, and a heartbeat comment every `heartbeatMs` so idle
 * connections are not cut.
 */
export function startEventStream(request: FastifyRequest, reply: FastifyReply, heartbeatMs: number): EventStream {
  reply.hijack();
  const response = reply.raw;
  writeSseHead(reply, request.id);
  response.write(': connected\n\n');
  const heartbeat = setInterval(() => response.write(': heartbeat\n\n'), heartbeatMs);
  heartbeat.unref();
  return {
    response,
    end: () => {
      clearInterval(heartbeat);
      if (!response.writableEnded) response.end();
    },
  };
}
