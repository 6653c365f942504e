import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerEdgeList } from './delegation-edges.ts';

/** `caracal delegation inbound <session>`: authority other sessions delegated to this one. */
export function registerDelegationInbound(delegation: Command, context: CommandContext): void {
  registerEdgeList(delegation, context, {
    name: 'inbound',
    description: 'List delegation edges whose target is the given session',
    help: 'Inbound edges represent authority that other sessions have delegated to this session.',
  });
}
