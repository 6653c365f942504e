import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../helpers/backends.ts';
import { propertyRuns } from '../helpers/property-runs.ts';
import { useHarness } from './coordinator-harness.ts';

const SESSIONS = 7;

/** True when `edges` (source → target over `size` nodes) contain a cycle: a JS DFS, independent of the SQL. */
function hasCycle(size: number, edges: ReadonlyArray<readonly [number, number]>): boolean {
  const next = Array.from({ length: size }, () => [] as number[]);
  for (const [source, target] of edges) next[source]!.push(target);
  const state = new Array<0 | 1 | 2>(size).fill(0);
  const visit = (node: number): boolean => {
    state[node] = 1;
    for (const target of next[node]!) {
      if (state[target] === 1) return true;
      if (state[target] === 0 && visit(target)) return true;
    }
    state[node] = 2;
    return false;
  };
  return Array.from({ length: size }, (_, node) => node).some((node) => state[node] === 0 && visit(node));
}

/**
 * Random edge insertions, in batches sent at once (concurrently on Postgres), never leave a cycle
 * among active edges; a batch of one is accepted exactly when the model says it closes no cycle.
 */
describe.each(testBackends())('cycle freedom on $name', (backend) => {
  // Every run (shrinking runs too) spawns its sessions as its own application in its own zone, so
  // each needs only its own seats. Seats are rows, provisioned on an application's first spawn:
  // a lifted limit cost 100 000 inserts per run.
  const { harness } = useHarness(backend, { seats: SESSIONS });
  let run = 0;

  it('holds for random batches of edge insertions', async () => {
    const edge = fc.tuple(fc.integer({ min: 0, max: SESSIONS - 1 }), fc.integer({ min: 0, max: SESSIONS - 1 }));
    const batches = fc.array(fc.array(edge, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 8 });
    await fc.assert(
      fc.asyncProperty(batches, async (plan) => {
        run += 1;
        const zoneId = `zone_cycles_${run}`;
        const token = await harness.mint({ zoneId, clientId: `app_graph_${run}`, scopes: ['agent:lifecycle', 'tools:call'] });
        const sessions: string[] = [];
        for (let index = 0; index < SESSIONS; index += 1) {
          const spawned = await harness.call({ method: 'POST', url: `/zones/${zoneId}/agents`, token, body: {} });
          sessions.push(spawned.json().agent_session_id);
        }
        const accepted: Array<readonly [number, number]> = [];
        // An edge inbound to each session from an earlier batch: named as the parent of the
        // session's next edges, so derivation is never ambiguous (edge-derivation.test.ts covers that).
        const inbound = new Map<number, string>();
        for (const batch of plan) {
          const responses = await Promise.all(
            batch.map(([source, target]) => {
              const parent = inbound.get(source);
              return harness.call({
                method: 'POST',
                url: `/zones/${zoneId}/delegations`,
                token,
                body: {
                  source_session_id: sessions[source],
                  target_session_id: sessions[target],
                  scopes: ['tools:call'],
                  ...(parent === undefined ? {} : { parent_edge_id: parent }),
                },
              });
            }),
          );
          responses.forEach((response, index) => {
            const pair = batch[index]!;
            if (response.statusCode === 201) {
              accepted.push(pair);
              if (!inbound.has(pair[1])) inbound.set(pair[1], response.json().id as string);
              return;
            }
            // Alone, a request's derivation is exact; in a batch, edges into its source may land
            // meanwhile, and refusing is always safe for the property.
            const refusals = batch.length === 1 ? ['cycle_detected'] : ['cycle_detected', 'ambiguous_parent_edge', 'concurrent_change'];
            expect(refusals, response.body).toContain(response.json().error);
          });
          if (batch.length === 1) {
            const closesCycle = hasCycle(SESSIONS, [...accepted.filter((item) => item !== batch[0]), batch[0]!]);
            expect(responses[0]!.statusCode === 201).toBe(!closesCycle);
          }
          expect(hasCycle(SESSIONS, accepted)).toBe(false);
        }
        const stored = await harness.database.query<{ source_session_id: string; target_session_id: string }>(
          `SELECT source_session_id, target_session_id FROM delegation_edges WHERE zone_id = $1 AND status = 'active'`,
          [zoneId],
        );
        const indexOf = (id: string) => sessions.indexOf(id);
        const storedPairs = stored.rows.map((row) => [indexOf(row.source_session_id), indexOf(row.target_session_id)] as const);
        expect(storedPairs).toHaveLength(accepted.length);
        expect(hasCycle(SESSIONS, storedPairs)).toBe(false);
      }),
      // Each run spawns 7 sessions and up to 48 edges: the nightly run does the full 25.
      { numRuns: propertyRuns({ ci: 8, full: 25 }) },
    );
  }, 300_000);
});
