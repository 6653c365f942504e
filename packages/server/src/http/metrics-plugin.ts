import type { FastifyInstance } from 'fastify';
import type { ServerMetrics } from './metrics.ts';

/**
 * `GET /metrics` (Prometheus text) and the request counter + latency histogram for every route.
 * Labels use the route pattern (`/zones/:zoneId/agents`), never the raw URL, so cardinality
 * stays bounded; unmatched URLs share the label `unmatched`.
 */
async function metricsPluginBody(app: FastifyInstance, options: { metrics: ServerMetrics }): Promise<void> {
  const { metrics } = options;
  app.addHook('onResponse', async (request, reply) => {
    const labels = {
      method: request.method,
      route: request.routeOptions.url ?? 'unmatched',
      status_code: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpRequestDuration.observe(labels, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_request, reply) =>
    reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics()),
  );
}

/**
 * Registered without encapsulation (what `fastify-plugin` does), so the `onResponse` hook sees
 * the routes of every other plugin; register it before them.
 */
export const metricsPlugin = Object.assign(metricsPluginBody, {
  [Symbol.for('skip-override')]: true,
  [Symbol.for('fastify.display-name')]: 'caracal-metrics',
});
