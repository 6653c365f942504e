import { InvalidArgumentError, type Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import type { EventFilter } from '../http/session-client.ts';
import { agentSessionArgument } from '../id-arguments.ts';
import { eventLine, eventSummary } from '../session-feed/event-line.ts';
import { followSession } from '../session-feed/follow-session.ts';
import { SESSION_EVENT_COLUMNS } from './columns.ts';
import { withJsonOption, type JsonOptions } from './json-option.ts';
import { sessionClientFor } from './session-options.ts';

interface EventsOptions extends JsonOptions {
  type?: string;
  source?: string;
  since?: string;
  limit?: number;
  follow?: boolean;
}

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (/^\d+$/.test(value) && Number.isSafeInteger(parsed) && parsed > 0) return parsed;
  throw new InvalidArgumentError('expected a positive integer.');
}

/** `caracal session events <id>`: the timeline in server order; `--follow` keeps tailing the live feed. */
export function registerSessionEvents(session: Command, context: CommandContext): void {
  withJsonOption(session.command('events').description("Print a session's timeline in server order").argument('<session>', 'session id (agentsess_…)', agentSessionArgument))
    .option('--type <types>', 'only these event types, comma-separated (e.g. mandate_minted,mandate_refused)')
    .option('--source <sources>', 'only these sources, comma-separated: agent, coordinator, sts')
    .option('--since <timestamp>', 'only events recorded at or after this ISO 8601 time')
    .option('--limit <n>', 'at most this many events (default: all of them)', positiveInteger)
    .option('-f, --follow', 'keep printing events as they are appended, until Ctrl-C (one line each; with --json one object per line)')
    .addHelpText(
      'after',
      `\nColumns: ${SESSION_EVENT_COLUMNS.join(', ')}\nWith --follow, --limit caps only the events printed before the live ones.\nExample: caracal session events agentsess_… --source sts --json | jq '.[] | .details'`,
    )
    .action(async (sessionId: string, options: EventsOptions) => {
      const { client, settings } = sessionClientFor(context);
      const filter: EventFilter = { eventType: options.type, source: options.source, since: options.since };
      const json = options.json === true;
      if (options.follow !== true) {
        const events = await context.progress('reading the timeline…', () => client.listEvents(sessionId, filter, options.limit));
        if (json) context.output.json(events);
        else context.output.list(events.map((event) => ({ ...event, summary: eventSummary(event) })), { columns: SESSION_EVENT_COLUMNS, json: false });
        return;
      }
      const stop = new AbortController();
      void context.io.waitForShutdown?.().then(() => stop.abort());
      await followSession({
        settings,
        client,
        sessionId,
        filter,
        limit: options.limit,
        signal: stop.signal,
        print: (event) => context.output.line(json ? JSON.stringify(event) : eventLine(event)),
        notice: (text) => void context.io.stderr.write(`${text}\n`),
      });
    });
}
