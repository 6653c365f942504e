import WebSocket from 'ws';
import { waitFor } from '../../helpers/wait-for.ts';

/** A WebSocket test client: every message parsed as it arrives, or the refusal's status. */
export interface WsClient {
  /** 101 when upgraded, else the HTTP status of the refusal. */
  status: number;
  /** The refusal's JSON body, when refused. */
  refusal: unknown;
  messages: Array<Record<string, unknown>>;
  waitForMessages(count: number, timeoutMs?: number): Promise<Array<Record<string, unknown>>>;
  close(): void;
}

export async function openWsClient(url: string, headers: Record<string, string> = {}): Promise<WsClient> {
  const socket = new WebSocket(url, { headers });
  const messages: Array<Record<string, unknown>> = [];
  socket.on('message', (data) => messages.push(JSON.parse(String(data)) as Record<string, unknown>));
  const outcome = await new Promise<{ status: number; refusal: unknown }>((resolve, reject) => {
    socket.once('open', () => resolve({ status: 101, refusal: undefined }));
    socket.once('unexpected-response', (_request, response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += String(chunk)));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, refusal: body === '' ? undefined : (JSON.parse(body) as unknown) }));
    });
    socket.on('error', reject);
  });
  return {
    ...outcome,
    messages,
    async waitForMessages(count, timeoutMs = 10_000) {
      await waitFor(() => messages.length >= count, { timeoutMs, what: `${count} WebSocket messages (have ${messages.length})` });
      return messages;
    },
    close: () => socket.terminate(),
  };
}
