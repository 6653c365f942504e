/**
 * `headers()` is for calls Caracal does not send itself: with an OpenTelemetry SDK its
 * `traceparent` names the active span (an exported one), not a made-up id.
 */
import { trace } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { bind, headers, type CaracalContext } from '../../src/index.ts';
import { parseTraceparent } from '../../src/propagation/index.ts';
import { useOtel3Line } from './support/otel3-line.ts';

const context: CaracalContext = { subjectToken: 'token', zoneId: 'zone_test', clientId: 'app_test', agentSessionId: 'agentsess_1', hop: 0, traceId: '4bf92f3577b34da6a3ce929d0e0e4736' };

describe('headers() with an OpenTelemetry SDK', () => {
  const line = useOtel3Line();

  it('names the active span in traceparent, and keeps the context trace id without one', () => {
    const inside = trace.getTracer('app').startActiveSpan('handle', (span) => {
      const written = bind(context, () => headers());
      span.end();
      return { written, spanId: span.spanContext().spanId, traceId: span.spanContext().traceId };
    });
    const named = parseTraceparent(inside.written.traceparent!);
    expect(named?.spanId).toBe(inside.spanId);
    expect(named?.traceId).toBe(inside.traceId);
    expect(line().spans().map((span) => span.spanContext().spanId)).toContain(named?.spanId);
    expect(inside.written.baggage).toContain('caracal.agent_session=agentsess_1');

    const outside = parseTraceparent(bind(context, () => headers()).traceparent!);
    expect(outside?.traceId).toBe(context.traceId);
  });
});
