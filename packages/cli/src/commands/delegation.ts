import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerDelegationInbound } from './delegation-inbound.ts';
import { registerDelegationOutbound } from './delegation-outbound.ts';
import { registerDelegationRevoke } from './delegation-revoke.ts';
import { registerDelegationTraverse } from './delegation-traverse.ts';

/** `caracal delegation …`: the graph of authority transfers between sessions. */
export function registerDelegationCommands(program: Command, context: CommandContext): void {
  const delegation = program.command('delegation').description('Inspect and revoke delegation edges (Coordinator)');
  registerDelegationInbound(delegation, context);
  registerDelegationOutbound(delegation, context);
  registerDelegationTraverse(delegation, context);
  registerDelegationRevoke(delegation, context);
}
