import { countOutboxBacklog } from './events/outbox-store.ts';
import { createServerMetrics, type ServerMetrics } from './http/metrics.ts';
import type { ServerContext } from './server-context.ts';

/**
 * The metrics of one server. The HTTP plugin and the background jobs are started apart and the
 * only thing both receive is the server context, so the registry is kept per context object
 * (a WeakMap: it goes away with the context, and two servers in one process never share counts).
 * Lives at the root because it joins two layers: the HTTP metrics and the outbox's backlog query.
 */
const metricsByContext = new WeakMap<object, ServerMetrics>();

export function serverMetrics(context: Pick<ServerContext, 'database'>): ServerMetrics {
  let metrics = metricsByContext.get(context);
  if (metrics === undefined) {
    metrics = createServerMetrics({ readOutboxBacklog: () => countOutboxBacklog(context.database) });
    metricsByContext.set(context, metrics);
  }
  return metrics;
}
