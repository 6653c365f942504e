import type { RedisClientType } from 'redis';

/**
 * Starts connecting `client` and resolves as soon as it is ready, the first attempt fails, or
 * `timeoutMs` passes — whichever comes first. It never rejects: node-redis keeps reconnecting in
 * the background under its reconnect strategy, and callers that need Redis find out per command.
 * That is what lets the server start (and stay up) while Redis is down.
 */
export function connectInBackground(client: RedisClientType, timeoutMs: number): Promise<void> {
  return new Promise((resolve) => {
    const finish = (): void => {
      clearTimeout(timer);
      client.off('ready', finish);
      client.off('error', finish);
      resolve();
    };
    const timer = setTimeout(finish, timeoutMs);
    timer.unref();
    client.once('ready', finish);
    client.once('error', finish);
    client.connect().catch(finish);
  });
}
