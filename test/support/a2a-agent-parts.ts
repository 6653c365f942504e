import { randomUUID } from 'node:crypto';
import { A2A_PROTOCOL_VERSION, Role, type AgentCard } from '@a2a-js/sdk';
import { AgentEvent } from '@a2a-js/sdk/server';

/** The agent card of a test agent answering JSON-RPC at `${baseUrl}/a2a/jsonrpc`. */
export function testAgentCard(baseUrl: string, description: string): AgentCard {
  return {
    name: 'billing-agent',
    description,
    supportedInterfaces: [{ url: `${baseUrl}/a2a/jsonrpc`, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: A2A_PROTOCOL_VERSION }],
    provider: undefined,
    version: '1.0.0',
    capabilities: { streaming: false, pushNotifications: false, extensions: [] },
    securitySchemes: {},
    securityRequirements: [],
    defaultInputModes: ['text/plain'],
    defaultOutputModes: ['text/plain'],
    skills: [],
    signatures: [],
  };
}

/** The event of an agent's one-part text reply in `contextId`. */
export function agentTextReply(contextId: string, text: string): ReturnType<typeof AgentEvent.message> {
  return AgentEvent.message({
    messageId: randomUUID(),
    contextId,
    taskId: '',
    role: Role.ROLE_AGENT,
    parts: [{ content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' }],
    metadata: undefined,
    extensions: [],
    referenceTaskIds: [],
  });
}
