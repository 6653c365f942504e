import pg from 'pg';

/** The part of a `pg.Client` a LISTEN connection uses (a test can hand in a fake). */
export interface ListenClient {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  on(event: 'notification', listener: (message: { channel: string; payload?: string | undefined }) => void): unknown;
  connect(): Promise<unknown>;
  query(sql: string): Promise<unknown>;
  end(): Promise<unknown>;
}

/** One established connection and the channels it has issued LISTEN for. */
export interface ListenConnection {
  /** Issues LISTEN for `channel` unless this connection already has. */
  listen(channel: string): Promise<void>;
  /** Issues UNLISTEN for `channel` if this connection listens on it (best effort). */
  unlisten(channel: string): void;
  end(): Promise<void>;
}

export interface ListenConnectionOptions {
  channels: readonly string[];
  onNotification(channel: string, payload: string): void;
  /** The established connection was lost (reported once, never during setup). */
  onLost(connection: ListenConnection, error: unknown): void;
}

/**
 * Connects `client` and issues LISTEN for `channels`. A connection lost during setup rejects
 * instead of being reported: it was never announced, so its attempt reports itself.
 */
export async function openListenConnection(client: ListenClient, options: ListenConnectionOptions): Promise<ListenConnection> {
  const channels = new Set<string>();
  let established = false;
  let lost = false;
  const connection: ListenConnection = {
    async listen(channel) {
      if (channels.has(channel)) return;
      // Marked first, so concurrent calls for one channel issue LISTEN once.
      channels.add(channel);
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    },
    unlisten(channel) {
      if (channels.delete(channel)) client.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
    },
    async end() {
      await client.end().catch(() => {});
    },
  };
  const onLost = (error: unknown): void => {
    if (lost) return;
    lost = true;
    if (established) options.onLost(connection, error);
  };
  client.on('error', onLost);
  client.on('end', () => onLost(new Error('the LISTEN connection ended')));
  client.on('notification', (message) => options.onNotification(message.channel, message.payload ?? ''));
  try {
    await client.connect();
    for (const channel of options.channels) await connection.listen(channel);
    if (lost) throw new Error('the LISTEN connection was lost while it was being set up');
  } catch (error) {
    await connection.end();
    throw error;
  }
  established = true;
  return connection;
}
