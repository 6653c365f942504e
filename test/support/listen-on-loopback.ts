import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server listening on 127.0.0.1, its base URL, and how to close it with its open connections. */
export interface Listening {
  server: Server;
  url: string;
  close(): Promise<void>;
}

/** Starts `app` (an express app, say) on an OS-chosen port of 127.0.0.1. */
export async function listenOnLoopback(app: { listen(port: number, host: string, callback: () => void): Server }): Promise<Listening> {
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close };
}
