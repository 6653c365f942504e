import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { metricsPlugin } from '../../src/http/metrics-plugin.ts';
import type { ServerContext } from '../../src/server-context.ts';
import { serverMetrics } from '../../src/server-metrics.ts';

/** Only what the metrics read: the outbox backlog query. */
function backlogDatabase(rows: Array<{ status: string; count: string }>): Database {
  return { query: async () => ({ rows, rowCount: rows.length }) } as unknown as Database;
}

describe('GET /metrics', () => {
  it('counts requests of every plugin by route pattern and status, and reads the outbox gauges', async () => {
    const app = Fastify({ logger: false });
    const context = { database: backlogDatabase([{ status: 'pending', count: '7' }, { status: 'dead', count: '2' }]) } as ServerContext;
    await app.register(metricsPlugin, { metrics: serverMetrics(context) });
    await app.register(async (child) => {
      child.get('/zones/:zoneId/things', async () => ({ ok: true }));
    });
    await app.inject('/zones/zone_a/things');
    await app.inject('/zones/zone_b/things');
    await app.inject('/nowhere');

    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toContain('caracal_http_requests_total{method="GET",route="/zones/:zoneId/things",status_code="200"} 2');
    expect(text).toContain('caracal_http_requests_total{method="GET",route="unmatched",status_code="404"} 1');
    expect(text).toMatch(/caracal_http_request_duration_seconds_count\{method="GET",route="\/zones\/:zoneId\/things",status_code="200"\} 2/);
    expect(text).toContain('caracal_outbox_pending 7');
    expect(text).toContain('caracal_outbox_dead 2');
    expect(text).toContain('# TYPE caracal_job_runs_total counter');
    expect(text).toMatch(/^process_resident_memory_bytes [1-9]\d*$/m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes [1-9]\d*$/m);
    await app.close();
  });

  it('keeps serving when the database cannot be read', async () => {
    const app = Fastify({ logger: false });
    const database = { query: async () => Promise.reject(new Error('down')) } as unknown as Database;
    await app.register(metricsPlugin, { metrics: serverMetrics({ database } as ServerContext) });
    const response = await app.inject('/metrics');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('caracal_outbox_pending 0');
    await app.close();
  });
});
