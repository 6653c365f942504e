import { current, type CaracalContext } from '@caracal/sdk';
import { verifyExpress, type Verifier } from '@caracal/sdk/verify';
import { startA2AAgent, type A2AAgent } from './a2a-agent.ts';

export interface BillingAgent extends A2AAgent {
  /** The verified caller context of every message. */
  readonly callers: Array<CaracalContext | undefined>;
}

/** A plain A2A agent behind the verify middleware: it sees the caller's verified context. */
export async function startBillingAgent(verifier: Verifier): Promise<BillingAgent> {
  const callers: Array<CaracalContext | undefined> = [];
  const agent = await startA2AAgent({
    name: 'billing-agent',
    guard: verifyExpress({ verifier, requiredScopes: ['agents:message'] }),
    answer: async (text) => {
      callers.push(current());
      return `paid (${text})`;
    },
  });
  return { ...agent, callers };
}
