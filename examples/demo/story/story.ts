import type { CaracalContext } from '@caracal/sdk';
import { startBillingAgent } from './billing-agent.ts';
import { startPartnerAgent, type PartnerTurn } from './partner-agent.ts';
import { BILLING_RESOURCE, PARTNER_APP, PARTNER_RESOURCE, startStack, TOOLS_RESOURCE, type Stack, type StackOptions } from './stack.ts';
import { startToolsServer, type ToolCall } from './tools-server.ts';
import { sendText } from './a2a-agent.ts';
import { watchStream } from './watch-stream.ts';

/** Everything the story did, for the e2e test to assert and the demo to print. */
export interface StoryResult {
  readonly orchestrator: CaracalContext;
  readonly worker: CaracalContext;
  /** The worker's context inside delegate() to the partner's session. */
  readonly delegated: CaracalContext;
  readonly partnerSessionId: string;
  readonly partnerReply: string;
  readonly partnerTurn: PartnerTurn;
  readonly toolCalls: ToolCall[];
  /** Every Authorization header the MCP server received. */
  readonly toolAuthorizations: string[];
  readonly billingCallers: Array<CaracalContext | undefined>;
  readonly sessionMandates: { orchestrator: string; partner: string };
  readonly revocation: { edgeId: string; revokedEdges: number; affectedSessions: number; cutAfterMs: number };
  readonly stream: { bytes: number; revokedTrailer: string | undefined };
  /** Why the call made after the revocation was refused. */
  readonly refusal: string;
}

export interface StoryOptions extends StackOptions {
  /** After a story that succeeded, the server stays up and this takes it over (and closes it). */
  readonly keepServer?: (stack: Stack) => void;
}

async function withDeadline<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not happen within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function errorText(error: unknown): string {
  const parts: string[] = [];
  for (let cause: unknown = error; cause instanceof Error && parts.length < 4; cause = cause.cause) parts.push(cause.message);
  return parts.join(' ← ');
}

/**
 * The whole story against the real server: app_orchestrator spawns an orchestrator agent, which
 * spawns a worker with a narrowed grant; the worker delegates to the long-lived session of
 * app_partner, whose A2A agent calls an MCP tool server and a billing agent under that edge; an
 * operator then revokes the edge mid-stream.
 */
export async function runStory(options: StoryOptions = {}): Promise<StoryResult> {
  const stack = await startStack(options);
  const closers: Array<() => Promise<void>> = [];
  let told = false;
  try {
    const tools = await startToolsServer(await stack.verifier(TOOLS_RESOURCE));
    closers.push(() => tools.close());
    const billing = await startBillingAgent(await stack.verifier(BILLING_RESOURCE));
    closers.push(() => billing.close());

    // app_partner's process: one long-lived session, held open for the whole story.
    let partnerSessionId: string | undefined;
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let opened: (id: string) => void = () => undefined;
    const sessionOpened = new Promise<string>((resolve) => (opened = resolve));
    const partnerSession = stack.partner.spawn({ kind: 'service' }, async (context) => {
      partnerSessionId = context.agentSessionId;
      opened(context.agentSessionId ?? '');
      await held;
    });
    closers.push(async () => {
      release();
      await partnerSession.catch(() => undefined);
    });
    await withDeadline(sessionOpened, 10_000, 'the partner session');
    const partner = await startPartnerAgent({
      partner: stack.partner,
      verifier: await stack.verifier(PARTNER_RESOURCE),
      sessionId: () => partnerSessionId,
      toolsUrl: tools.url,
      billingUrl: billing.url,
    });
    closers.push(() => partner.close());

    const { orchestrator } = stack;
    const result = await orchestrator.spawn({ kind: 'instance', labels: { role: 'orchestrator' } }, async (orchestratorContext) =>
      orchestrator.spawn({ kind: 'ephemeral', labels: { role: 'worker' }, grant: { mode: 'narrow', scopes: ['tools:call', 'agents:message'] } }, async (worker) =>
        orchestrator.delegate({ to: partnerSessionId!, toClientId: PARTNER_APP, scopes: ['tools:call', 'agents:message'], ttlSeconds: 600 }, async (delegated) => {
          const partnerReply = await sendText(orchestrator, partner.url, PARTNER_RESOURCE, 'reconcile invoice 42');
          const partnerTurn = partner.turns.at(-1)!;

          const stream = await watchStream(orchestrator, `${partner.url}/watch`, PARTNER_RESOURCE);
          await withDeadline(stream.firstChunk, 10_000, 'the first streamed chunk');
          const revokeStarted = performance.now();
          const revoked = await stack.revokeEdge(delegated.delegationEdgeId!);
          const answered = performance.now();
          const ended = await withDeadline(stream.done, 10_000, 'the stream cut');
          const cutAfterMs = performance.now() - answered;

          const refusal = await sendText(orchestrator, partner.url, PARTNER_RESOURCE, 'reconcile invoice 43').then(
            (reply) => { throw new Error(`the call after the revocation was answered: ${reply}`); },
            (error: unknown) => errorText(error),
          );
          void revokeStarted;
          return {
            orchestrator: orchestratorContext,
            worker,
            delegated,
            partnerSessionId: partnerSessionId!,
            partnerReply,
            partnerTurn,
            toolCalls: tools.calls,
            toolAuthorizations: tools.authorizations,
            billingCallers: billing.callers,
            sessionMandates: { orchestrator: await orchestrator.sessionMandate(), partner: await stack.partner.sessionMandate() },
            revocation: { edgeId: delegated.delegationEdgeId!, revokedEdges: revoked.revoked_edges, affectedSessions: revoked.affected_sessions, cutAfterMs },
            stream: { bytes: ended.bytes, revokedTrailer: ended.revokedTrailer },
            refusal,
          };
        }),
      ),
    );
    if (options.keepServer !== undefined) {
      options.keepServer(stack);
      told = true;
    }
    return result;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    if (!told) await stack.close();
  }
}
