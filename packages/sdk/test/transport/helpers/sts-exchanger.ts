import { Agent } from 'undici';
import { StsClient } from '../../../src/auth/sts-client.ts';
import { requireContext } from '../../../src/context/current.ts';
import { HttpClient } from '../../../src/http/http-client.ts';
import { systemClock } from '../../../src/retry/clock.ts';
import { DEFAULT_RETRY_POLICY } from '../../../src/retry/retry-policy.ts';
import type { TokenExchanger } from '../../../src/transport/token-exchanger.ts';

/**
 * An exchanger that does what `caracal.exchange()` does: presents the current context's subject
 * token, session and edge to the STS over HTTP (the SDK's own STS client), so the tests cross the
 * real wire format.
 */
export function stsExchanger(stsUrl: string): TokenExchanger & { close(): Promise<void> } {
  const dispatcher = new Agent();
  const http = new HttpClient({ dispatcher, timeoutMs: 10_000, retry: { ...DEFAULT_RETRY_POLICY, retries: 0 }, clock: systemClock });
  const sts = new StsClient({ http, baseUrl: new URL(stsUrl), clock: systemClock });
  return {
    exchange({ resource, scopes, signal }) {
      const context = requireContext();
      return sts.exchange({
        subjectToken: context.subjectToken,
        agentSessionId: context.agentSessionId,
        delegationEdgeId: context.delegationEdgeId,
        resource,
        scopes,
        signal,
      });
    },
    close: () => dispatcher.close(),
  };
}
