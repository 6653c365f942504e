import { Health, Readiness } from '@caracal/protocol';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import type { ServerContext } from '../server-context.ts';

/** `/health` says the process is up; `/ready` says its database and bus answer. */
export async function healthPlugin(app: FastifyInstance, options: { context: ServerContext }): Promise<void> {
  const { database, bus } = options.context;
  const routes = app.withTypeProvider<TypeBoxTypeProvider>();
  routes.get('/health', { schema: { response: { 200: Health } } }, async (): Promise<Health> => ({ status: 'ok' }));
  routes.get('/ready', { schema: { response: { 200: Readiness, 503: Readiness } } }, async (_request, reply) => {
    const [databaseCheck, busCheck] = await Promise.allSettled([database.query('SELECT 1'), bus.ping()]);
    const body: Readiness = {
      status: databaseCheck.status === 'fulfilled' && busCheck.status === 'fulfilled' ? 'ready' : 'not_ready',
      database: databaseCheck.status === 'fulfilled' ? 'ok' : 'unreachable',
      bus: busCheck.status === 'fulfilled' ? 'ok' : 'unreachable',
      bus_kind: bus.kind,
      database_kind: database.kind,
    };
    return reply.status(body.status === 'ready' ? 200 : 503).send(body);
  });
}
