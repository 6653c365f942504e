import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/database.ts';
import { openTestDatabase } from '../helpers/test-database.ts';
import { databaseOptionsOn, dropSchema, testBackends } from '../helpers/backends.ts';

const ZONE = 'zone_plan';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/**
 * The cycle check runs inside every edge creation, so each step of its walk must be an index probe
 * for the sessions reached so far — on a small zone too, where the planner is most tempted to read
 * all of the zone's edges instead (it did: a hash join over every active edge, 0.4 ms a call at
 * 1,000 edges). The installed function's query is planned here the way PL/pgSQL keeps it across
 * calls: generically, its parameters unknown.
 */
describe.each(testBackends())('the cycle check plan on $name', (backend) => {
  let database: Database;
  const schema = backend.schema();

  beforeAll(async () => {
    database = await openTestDatabase(databaseOptionsOn(backend, schema));
    // 250 chains of 4 edges: a zone of 1,000 active edges, with statistics that say so.
    await database.query(
      `INSERT INTO delegation_edges (id, zone_id, source_session_id, target_session_id, issuer_application_id,
         receiver_application_id, scopes, status, expires_at, created_at)
       SELECT 'deledge_' || lpad(to_hex(b * 4 + k), 26, '0'), $1,
         'agentsess_' || lpad(to_hex(b * 5 + k), 26, '0'), 'agentsess_' || lpad(to_hex(b * 5 + k + 1), 26, '0'),
         'app_plan', 'app_plan', '{tools:call}', 'active', now() + interval '30 days', now()
       FROM generate_series(0, 249) AS b, generate_series(0, 3) AS k`,
      [ZONE],
    );
    await database.query('ANALYZE delegation_edges');
  }, 120_000);
  afterAll(async () => {
    await database?.close();
    await dropSchema(schema);
  });

  it('probes delegation_edges by (zone, source) at each step of the walk, never scanning the zone', async () => {
    const source = await database.query<{ body: string }>(
      `SELECT prosrc AS body FROM pg_proc WHERE proname = 'coordinator_path_exists' AND pronamespace = to_regnamespace(current_schema())::oid`,
    );
    expect(source.rows).toHaveLength(1);
    // The body is `BEGIN RETURN <expression>; END`: plan the expression as a query.
    const expression = /RETURN\s+([\s\S]*);\s*END\s*$/.exec(source.rows[0]!.body)?.[1];
    expect(expression).toBeDefined();
    const query = `SELECT ${expression!}`
      .replace(/\bp_zone\b/g, '$1')
      .replace(/\bp_from\b/g, '$2')
      .replace(/\bp_to\b/g, '$3')
      .replace(/\bp_at\b/g, '$4');
    const plan = await database.transaction(async (transaction) => {
      await transaction.query('SET LOCAL plan_cache_mode = force_generic_plan');
      await transaction.query(`PREPARE cycle_check_plan (text, text, text, timestamptz) AS ${query}`);
      const explained = await transaction.query<{ 'QUERY PLAN': Array<{ Plan: PlanNode }> }>(
        `EXPLAIN (FORMAT JSON) EXECUTE cycle_check_plan('${ZONE}', 'agentsess_a', 'agentsess_b', now())`,
      );
      await transaction.query('DEALLOCATE cycle_check_plan');
      return explained.rows[0]!['QUERY PLAN'][0]!.Plan;
    });
    const all = nodes(plan);
    const edgeReads = all.filter((node) => node['Relation Name'] === 'delegation_edges');
    expect(edgeReads.length).toBeGreaterThan(0);
    for (const read of edgeReads) {
      expect(read['Node Type'], JSON.stringify(read)).toMatch(/^Index (Only )?Scan$/);
      expect(read['Index Cond'], JSON.stringify(read)).toMatch(/source_session_id = reachable\.session_id/);
    }
    expect(all.map((node) => node['Node Type'])).not.toContain('Hash Join');
  });
});
