import { describe, expect, it } from 'vitest';
import { assertBuiltCli, caracal } from './helpers/built-cli.ts';

// The demo starts its own embedded server, which takes seconds on a busy machine.
describe('the built caracal binary: demo', { timeout: 120_000 }, () => {
  it('tours an embedded server with no settings at all and exits 0', async () => {
    assertBuiltCli();
    const result = await caracal(['demo']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^embedded server on http:\/\/127\.0\.0\.1:\d+/);
    expect(out).toMatch(/\norchestrator {2}agentsess_\w+ {2}active\n├── researcher {2}agentsess_\w+ {2}active\n│ {3}└── fetcher {2}agentsess_\w+ {2}active\n└── writer {2}agentsess_\w+ {2}active\n/);
    expect(out).toMatch(/\ndepth {2}id +source_session_id +target_session_id\n0 +deledge_\w+ .*\n1 +deledge_\w+ .*\n1 +deledge_\w+ .*\n/);
    // The traversed chain names the edge whose revocation ends the writer.
    expect(out).toMatch(/\n {2}deledge_\w+ {2}orchestrator → researcher\n/);
    expect(out).toMatch(/\n {2}deledge_\w+ {2}researcher → fetcher\n/);
    expect(out).toMatch(/\n {2}deledge_\w+ {2}researcher → writer\n/);
    expect(out).toMatch(/\n\{"revoked_edges": \d+, "affected_sessions": \d+\}\n/);
    expect(out).toMatch(/\n├── researcher {2}agentsess_\w+ {2}terminated\n│ {3}└── fetcher {2}agentsess_\w+ {2}terminated\n└── writer {2}agentsess_\w+ {2}terminated\n/);
    expect(out).toMatch(/\nid +source_session_id +target_session_id +resource_id +status +expires_at\n(deledge_\w+ .* revoked .*\n)+/);
  });
});
