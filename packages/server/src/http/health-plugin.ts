import { Health, Readiness } from '@caracal/protocol';
import type { ServerContext } from '../server-context.ts';
import type { RoutePlugin } from './route-plugin.ts';

/** `/health` says the process is up; `/ready` says its database and bus answer. */
export const healthPlugin: RoutePlugin<{ context: ServerContext }> = async (app, { context }) => {
  const { database, bus } = context;
  app.get('/health', { schema: { response: { 200: Health } } }, async (): Promise<Health> => ({ status: 'ok' }));
  app.get('/ready', { schema: { response: { 200: Readiness, 503: Readiness } } }, async (_request, reply) => {
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
};
