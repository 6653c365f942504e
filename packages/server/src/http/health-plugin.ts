import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server-context.ts';

/** `/health` says the process is up; `/ready` says its database and bus answer. */
export async function healthPlugin(app: FastifyInstance, options: { context: ServerContext }): Promise<void> {
  const { database, bus } = options.context;
  app.get('/health', async () => ({ status: 'ok' }));
  app.get('/ready', async (_request, reply) => {
    const checks = await Promise.allSettled([database.query('SELECT 1'), bus.ping()]);
    const [databaseCheck, busCheck] = checks;
    const body = {
      status: checks.every((check) => check.status === 'fulfilled') ? 'ready' : 'not_ready',
      database: databaseCheck?.status === 'fulfilled' ? 'ok' : 'unreachable',
      bus: busCheck?.status === 'fulfilled' ? 'ok' : 'unreachable',
      bus_kind: bus.kind,
      database_kind: database.kind,
    };
    return reply.status(body.status === 'ready' ? 200 : 503).send(body);
  });
}
