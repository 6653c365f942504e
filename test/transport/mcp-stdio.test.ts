import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { bind } from '@caracal/sdk';
import { traceMcpTransport } from '@caracal/sdk/mcp';
import { agentContext, TRACE_ID } from './helpers/contexts.ts';

const serverScript = fileURLToPath(new URL('./fixtures/stdio-tools-server.ts', import.meta.url));

describe('MCP over stdio with traceMcpTransport', () => {
  it('carries the trace context to a real stdio server in params._meta', async () => {
    const client = new Client({ name: 'e2e-stdio-agent', version: '1.0.0' });
    const transport = traceMcpTransport(new StdioClientTransport({ command: process.execPath, args: [serverScript], stderr: 'pipe' }));
    const lineages = await bind(agentContext, async () => {
      await client.connect(transport);
      const seen = [];
      for (let index = 0; index < 2; index++) {
        const result = await client.callTool({ name: 'lineage', arguments: {} });
        seen.push(JSON.parse((result.content as Array<{ text: string }>)[0]?.text ?? 'null') as Record<string, unknown> | null);
      }
      await client.close();
      return seen;
    });
    for (const lineage of lineages) {
      expect(lineage).toMatchObject({ traceId: TRACE_ID, agentSessionId: 'agentsess_e2e', delegationEdgeId: 'deledge_e2e', hop: 1 });
    }
    expect(lineages[0]?.spanId).not.toBe(lineages[1]?.spanId);
  });
});
