import type { SessionEvent, UncheckedBody } from '@caracal/protocol';
import { cellText } from '../table.ts';

/** Fields worth a glance, in the order shown; the rest is in `--json`. */
const SUMMARY_FIELDS: ReadonlyArray<readonly [keyof SessionEvent, string]> = [
  ['run_id', 'run'],
  ['tool_name', 'tool'],
  ['exit_code', 'exit_code'],
  ['error', 'error'],
  ['reason', 'reason'],
  ['role', 'role'],
  ['result_text', 'result'],
];

/** A long value is cut here so one event stays one readable line. */
const VALUE_MAX_CHARS = 120;

/**
 * `key=value` pairs of an event's set fields and of its server facts (`details`: a mandate's
 * resource, scopes, jti; a refusal's reason). Strings with spaces or line breaks are JSON-quoted,
 * so the summary never spans lines.
 */
export function eventSummary(event: UncheckedBody<SessionEvent>): string {
  const pairs: string[] = [];
  for (const [field, label] of SUMMARY_FIELDS) {
    const value = event[field];
    if (value !== null && value !== undefined) pairs.push(`${label}=${inlineValue(value)}`);
  }
  const details = event.details;
  if (typeof details === 'object' && details !== null && !Array.isArray(details)) {
    for (const [key, value] of Object.entries(details)) if (value !== null && value !== undefined) pairs.push(`${key}=${inlineValue(value)}`);
  }
  return pairs.join(' ');
}

/** One event as one line: `timestamp  id  source  event_type  summary`. */
export function eventLine(event: UncheckedBody<SessionEvent>): string {
  const summary = eventSummary(event);
  const head = [event.timestamp, event.id, event.source, event.event_type].map((value) => cellText(value)).join('  ');
  return summary === '' ? head : `${head}  ${summary}`;
}

function inlineValue(value: unknown): string {
  const text = typeof value === 'string' && !/[\s"]/.test(value) ? value : JSON.stringify(value);
  return text.length > VALUE_MAX_CHARS ? `${text.slice(0, VALUE_MAX_CHARS - 1)}…` : text;
}
