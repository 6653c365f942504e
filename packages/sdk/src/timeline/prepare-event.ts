import { EVENT_TYPE_MAX_LENGTH, TIMELINE_EVENT_MAX_BYTES, type PostEventBody } from '@caracal/protocol';
import { CaracalError } from '../errors.ts';
import { boundJson, boundJsonObject, boundText, byteLength, jsonText } from './bound-json.ts';

/**
 * Turning what an agent asks to record into an event the server accepts: the shape checked here
 * (a bad one would make the server refuse the whole batch it travels in), large fields cut down
 * with a marker, and the client's clock as `timestamp` (the server keeps it as `reported_at`).
 * @internal
 */

const EVENT_TYPE = new RegExp(`^[A-Za-z0-9][A-Za-z0-9_.:-]{0,${EVENT_TYPE_MAX_LENGTH - 1}}$`);
const RUN_ID = /^[A-Za-z0-9_-]{1,64}$/;

/** Every field an event may carry; typed from the protocol's schema so a new field is not missed. */
const EVENT_FIELDS: Readonly<Record<keyof PostEventBody, true>> = {
  event_type: true,
  run_id: true,
  timestamp: true,
  tool_name: true,
  tool_input: true,
  tool_output: true,
  error: true,
  exit_code: true,
  reason: true,
  role: true,
  content: true,
  result_text: true,
  result_data: true,
  session_status: true,
};

/** Byte budgets of the fields that can grow, at full scale; they shrink together when an event is still too large. */
const FIELD_BYTES = { text: 256, role: 64, reason: 4096, error: 8192, tool: 16_384, content: 16_384, resultText: 24_576, resultData: 24_576 } as const;

function invalid(message: string): never {
  throw new CaracalError('INVALID_ARGUMENT', `timeline.record(): ${message}`);
}

function checkShape(event: PostEventBody): void {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) invalid('the event must be an object with an event_type.');
  const unknown = Object.keys(event).filter((key) => !Object.hasOwn(EVENT_FIELDS, key));
  if (unknown.length > 0) invalid(`unknown field(s) ${unknown.join(', ')}; an event has ${Object.keys(EVENT_FIELDS).join(', ')}.`);
  if (typeof event.event_type !== 'string' || !EVENT_TYPE.test(event.event_type)) {
    invalid(`event_type must be 1–${EVENT_TYPE_MAX_LENGTH} letters, digits or _ . : - starting with a letter or digit, got ${JSON.stringify(event.event_type)}.`);
  }
  if (event.run_id != null && (typeof event.run_id !== 'string' || !RUN_ID.test(event.run_id))) invalid('run_id must be 1–64 letters, digits, _ or -.');
  if (event.exit_code != null && !(Number.isInteger(event.exit_code) && Math.abs(event.exit_code) <= 2_147_483_647)) invalid('exit_code must be a 32-bit integer.');
  if (event.tool_input != null && (typeof event.tool_input !== 'object' || Array.isArray(event.tool_input))) invalid('tool_input must be an object.');
  if (event.content != null && !(Array.isArray(event.content) && event.content.every((item) => typeof item === 'object' && item !== null && !Array.isArray(item)))) {
    invalid('content must be an array of objects.');
  }
  for (const key of ['tool_name', 'error', 'reason', 'role', 'result_text'] as const) {
    if (event[key] != null && typeof event[key] !== 'string') invalid(`${key} must be a string.`);
  }
  if (event.session_status != null && event.session_status !== 'idle' && event.session_status !== 'finished') invalid("session_status must be 'idle' or 'finished'.");
  if (event.timestamp != null && (typeof event.timestamp !== 'string' || Number.isNaN(Date.parse(event.timestamp)))) invalid('timestamp must be a date-time string.');
}

/** `text` bounded, keeping null as is. */
function text(value: string | null | undefined, maxBytes: number): string | null | undefined {
  return typeof value === 'string' ? boundText(value, maxBytes) : value;
}

function boundContent(content: PostEventBody['content'], maxBytes: number): PostEventBody['content'] {
  if (content == null) return content;
  const bounded = boundJson(content.slice(0, 256), maxBytes);
  return Array.isArray(bounded) ? (bounded as Array<Record<string, unknown>>) : [bounded as Record<string, unknown>];
}

function bounded(event: PostEventBody, scale: number): PostEventBody {
  const size = (bytes: number): number => Math.max(64, Math.floor(bytes * scale));
  const out: Record<string, unknown> = { ...event };
  const put = (key: keyof PostEventBody, value: unknown): void => {
    if (value !== undefined) out[key] = value;
  };
  put('tool_name', text(event.tool_name, FIELD_BYTES.text));
  put('role', text(event.role, FIELD_BYTES.role));
  put('reason', text(event.reason, size(FIELD_BYTES.reason)));
  put('error', text(event.error, size(FIELD_BYTES.error)));
  put('result_text', text(event.result_text, size(FIELD_BYTES.resultText)));
  if (event.tool_input != null) put('tool_input', boundJsonObject(event.tool_input, size(FIELD_BYTES.tool)));
  put('tool_output', boundJson(event.tool_output, size(FIELD_BYTES.tool)));
  put('result_data', boundJson(event.result_data, size(FIELD_BYTES.resultData)));
  put('content', boundContent(event.content, size(FIELD_BYTES.content)));
  return out as PostEventBody;
}

/**
 * A checked, bounded copy of `event` stamped with the client's time.
 * @throws CaracalError `INVALID_ARGUMENT` for a shape the server would refuse (a wrong type, an unknown field).
 */
export function prepareEvent(event: PostEventBody, nowMs: number): PostEventBody {
  checkShape(event);
  const timestamp = event.timestamp == null ? new Date(nowMs).toISOString() : new Date(event.timestamp).toISOString();
  let prepared = bounded({ ...event, timestamp }, 1);
  // Each field fits its budget; all of them at once may not. Shrink them together until it fits.
  for (let scale = 0.5; scale >= 1 / 64 && byteLength(jsonText(prepared) ?? '') > TIMELINE_EVENT_MAX_BYTES; scale /= 2) {
    prepared = bounded({ ...event, timestamp }, scale);
  }
  return prepared;
}
