import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { registerSessionDelete } from './session-delete.ts';
import { registerSessionEvents } from './session-events.ts';
import { registerSessionGet } from './session-get.ts';
import { registerSessionList } from './session-list.ts';
import { registerSessionResult } from './session-result.ts';

/** `caracal session …`: sessions with their event timelines and results (the routes of docs/sessions.md). */
export function registerSessionCommands(program: Command, context: CommandContext): void {
  const session = program.command('session').description('Inspect session timelines and results, tail them live, delete sessions');
  registerSessionList(session, context);
  registerSessionGet(session, context);
  registerSessionEvents(session, context);
  registerSessionResult(session, context);
  registerSessionDelete(session, context);
}
