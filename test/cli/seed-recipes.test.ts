import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnGraph } from './helpers/agent-graph.ts';
import { assertBuiltCli, caracal, shell } from './helpers/built-cli.ts';
import { JQ_AVAILABLE, NODE_ACTIVE, NODE_IDS } from './helpers/jq.ts';
import { startRealServer, type RealServer } from './helpers/real-server.ts';

/** The recipes of docs/cli.md, copied verbatim; only the example ids are replaced by real ones. */
const INVESTIGATE = `# Find the agent session
caracal agent list --json | jq '.[] | select(.status == "active")'
# Inspect its children
caracal agent tree agentsess_abc123
# Check what authority it has delegated
caracal delegation outbound agentsess_abc123`;

const EMERGENCY = `# Terminate the session (cascades to all children)
caracal agent terminate agentsess_abc123
# Revoke all outbound edges explicitly
caracal delegation outbound agentsess_abc123 --json | \\
jq -r '.[].id' | \\
xargs -I{} caracal delegation revoke {}`;

const AUDIT = `# Get the edge ID from a token's delegationEdgeId claim or from outbound edges
caracal delegation traverse deledge_def456`;

const JQ_ACTIVE = `jq '.[] | select(.status == "active")'`;
const JQ_IDS = `jq -r '.[].id'`;

/** The recipe as written (when jq is installed) and with node standing in for jq (always). */
function variants(recipe: string): Array<[string, string]> {
  const withNode: [string, string] = ['node in place of jq', recipe.replace(JQ_ACTIVE, NODE_ACTIVE).replace(JQ_IDS, NODE_IDS)];
  return JQ_AVAILABLE ? [['verbatim with jq', recipe], withNode] : [withNode];
}

/** jq and the stand-in print a stream of pretty JSON objects; split it back into objects. */
function objectStream(text: string): Array<Record<string, unknown>> {
  return text
    .split(/(?<=^\})\n/m)
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
}

let server: RealServer;
beforeAll(async () => {
  assertBuiltCli();
  if (!JQ_AVAILABLE) console.warn('jq is not installed here: the docs/cli.md recipes are checked with node standing in for jq only');
  server = await startRealServer();
});
afterAll(async () => {
  await server?.close();
});

describe('docs/cli.md recipes through bash against the real server', () => {
  it('reports whether jq ran the recipes verbatim', () => {
    expect(variants(INVESTIGATE).length).toBe(JQ_AVAILABLE ? 2 : 1);
  });

  it('investigate: active sessions as JSON objects, the children table, the outbound edges table', async () => {
    const graph = await spawnGraph(server);
    await caracal(['agent', 'suspend', graph.sibling], server.operatorEnv);
    for (const [name, script] of variants(INVESTIGATE.replaceAll('agentsess_abc123', graph.root))) {
      const result = await shell(script, server.operatorEnv);
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      const [activeJson, rest] = splitAt(result.stdout, /^id {2,}application_id {2,}parent_id {2,}status {2,}depth {2,}spawned_at\n/m);
      const active = objectStream(activeJson);
      expect(active.every((session) => session.status === 'active'), name).toBe(true);
      expect(active.map((session) => session.id), name).toEqual(expect.arrayContaining([graph.root, graph.child, graph.grandchild]));
      expect(active.map((session) => session.id), name).not.toContain(graph.sibling);
      const [tree, outbound] = splitAt(rest, /^id {2,}source_session_id {2,}target_session_id {2,}resource_id {2,}status {2,}expires_at\n/m);
      expect(tree, name).toContain(graph.child);
      expect(tree, name).toContain(graph.sibling);
      expect(outbound, name).toContain(graph.edges.child);
      expect(outbound, name).toContain(graph.edges.sibling);
    }
  });

  it('emergency: terminate, then revoke every outbound edge through the jq | xargs pipeline', async () => {
    for (const [name, recipe] of variants(EMERGENCY)) {
      const graph = await spawnGraph(server);
      const result = await shell(recipe.replaceAll('agentsess_abc123', graph.root), server.operatorEnv);
      expect(result.code, `${name}: ${result.stderr}`).toBe(0);
      const lines = result.stdout.trimEnd().split('\n');
      expect(lines[0], name).toBe(`terminated ${graph.root}`);
      // One revoke per outbound edge, each printing the documented exact shape.
      expect(lines.slice(1), name).toHaveLength(2);
      for (const line of lines.slice(1)) expect(line, name).toMatch(/^\{"revoked_edges": \d+, "affected_sessions": \d+\}$/);
      const after = JSON.parse((await caracal(['delegation', 'outbound', graph.root, '--json'], server.operatorEnv)).stdout) as Array<{ status: string }>;
      expect(after.map((edge) => edge.status), name).toEqual(['revoked', 'revoked']);
    }
  });

  it('audit: traverse prints the chain from the root', async () => {
    const graph = await spawnGraph(server);
    const result = await shell(AUDIT.replaceAll('deledge_def456', graph.edges.grandchild), server.operatorEnv);
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout.trimEnd().split('\n').map((line) => line.split(/ {2,}/).slice(0, 2))).toEqual([
      ['depth', 'id'],
      ['0', graph.edges.child],
      ['1', graph.edges.grandchild],
    ]);
  });
});

/** Splits `text` at the first line matching `header`; the second part starts with that line. */
function splitAt(text: string, header: RegExp): [string, string] {
  const match = header.exec(text);
  if (match === null) throw new Error(`no ${String(header)} in:\n${text}`);
  return [text.slice(0, match.index), text.slice(match.index)];
}
