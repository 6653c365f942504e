import { startServer } from './start-server.ts';

/** `node dist/main.js`: the server from environment variables, with graceful shutdown. */
const env = process.env;
const server = await startServer({
  port: env.PORT === undefined ? 4000 : Number(env.PORT),
  host: env.HOST ?? '127.0.0.1',
  ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
  ...(env.DATABASE_SCHEMA ? { databaseSchema: env.DATABASE_SCHEMA } : {}),
  ...(env.CARACAL_REDIS_KEY_PREFIX ? { redisKeyPrefix: env.CARACAL_REDIS_KEY_PREFIX } : {}),
  ...(env.REDIS_URL ? { redisUrl: env.REDIS_URL } : {}),
  ...(env.CARACAL_ADMIN_TOKEN ? { adminToken: env.CARACAL_ADMIN_TOKEN } : {}),
  ...(env.CARACAL_DATA_DIR ? { dataDir: env.CARACAL_DATA_DIR } : {}),
  ...(env.CARACAL_EVENT_SECRET ? { eventSigningSecret: env.CARACAL_EVENT_SECRET } : {}),
  ...(env.CARACAL_KEY_SECRET ? { keyEncryptionSecret: env.CARACAL_KEY_SECRET } : {}),
  // Replicas behind one address must share the issuer their mandates carry.
  ...(env.CARACAL_ISSUER ? { issuer: env.CARACAL_ISSUER } : {}),
  logger: { level: env.LOG_LEVEL ?? 'info' },
});
process.stdout.write(`caracal server listening on ${server.url}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });
}
