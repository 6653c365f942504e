import { expect } from 'vitest';
import type { Harness } from '../coordinator-harness.ts';

/** Calls of the seed-001 routes with a bearer, for the timeline tests. */
export function seedCalls(harness: Harness) {
  const call = (method: string, url: string, token: string, body?: unknown) =>
    harness.call({ method, url, token, ...(body === undefined ? {} : { body }) });
  return {
    call,
    async create(token: string, body: Record<string, unknown> = {}): Promise<Record<string, unknown> & { session_id: string; status: string }> {
      const response = await call('POST', '/sessions', token, body);
      expect(response.statusCode, response.body).toBe(201);
      return response.json().session;
    },
    async post(token: string, id: string, body: unknown): Promise<Record<string, unknown>> {
      const response = await call('POST', `/sessions/${id}/events`, token, body);
      expect(response.statusCode, response.body).toBe(201);
      return response.json();
    },
    async status(token: string, id: string): Promise<string> {
      return (await call('GET', `/sessions/${id}/status`, token)).json().status;
    },
  };
}

/** Every row of the timeline table, for "nothing else changed" checks. */
export async function allEventIds(harness: Harness): Promise<number[]> {
  const { rows } = await harness.database.query<{ id: string }>('SELECT id FROM session_events ORDER BY id');
  return rows.map((row) => Number(row.id));
}
