import { expect } from 'vitest';
import type { Backend } from '../../helpers/backends.ts';
import { useHarness, type Harness, type TokenRequest } from '../coordinator-harness.ts';

/** Calls of the Agent Coordinator routes with a bearer, for the timeline tests. */
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

/** The applications of a timeline test: `one` may spawn, `two` is another application, `operator` an admin. */
const SEED_TOKENS = {
  one: { clientId: 'app_one', scopes: ['agent:lifecycle', 'tools:call'] },
  two: { clientId: 'app_two' },
  operator: { clientId: 'app_ops', scopes: ['caracal:admin'] },
} satisfies Record<string, TokenRequest>;

/**
 * A timeline test file's harness in `zoneId` (seats for many sessions), its mandates (SEED_TOKENS
 * and any `extra`) and its seed calls.
 */
export function useSeedHarness<Extra extends string = never>(backend: Backend, zoneId: string, extra?: Record<Extra, TokenRequest>) {
  const { harness, tokens } = useHarness<keyof typeof SEED_TOKENS | Extra>(backend, {
    zoneId,
    seats: 200,
    tokens: { ...SEED_TOKENS, ...extra } as Record<keyof typeof SEED_TOKENS | Extra, TokenRequest>,
  });
  return { harness, tokens, seed: seedCalls(harness) };
}
