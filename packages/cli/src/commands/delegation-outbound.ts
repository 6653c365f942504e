import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerEdgeList } from './delegation-edges.ts';

/** `caracal delegation outbound <session>`: authority this session delegated to others. */
export function registerDelegationOutbound(delegation: Command, context: CommandContext): void {
  registerEdgeList(delegation, context, {
    name: 'outbound',
    description: 'List delegation edges whose source is the given session',
    help: "Outbound edges represent authority this session has delegated to others.\nRevoke them all: caracal delegation outbound <session> --json | jq -r '.[].id' | xargs -I{} caracal delegation revoke {}",
  });
}
