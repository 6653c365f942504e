import type { PostEventBody } from '@caracal/protocol';
import { captureContext } from '../../context/capture-context.ts';
import { current } from '../../context/current.ts';
import { reportableJson, reportableObject, reportableText } from '../../timeline/reportable-value.ts';
import type { DispatchRequest, Interceptor } from '../dispatch.ts';
import { methodOf, parseJsonRpcBody } from './json-rpc-body.ts';
import { CallOutcomeWatcher, watchResponse, type CallOutcome } from './tool-call-outcome.ts';

/** Where tool-call events go: the `timeline` of a Caracal client. @internal */
export interface ToolCallRecorder {
  record(event: PostEventBody): boolean;
}

/** Byte budgets of what a tool-call event carries. */
const INPUT_BYTES = 16_384;
const OUTPUT_BYTES = 16_384;
const ERROR_BYTES = 4096;

interface ToolCall {
  readonly id: unknown;
  readonly name: string;
  readonly arguments: unknown;
}

const decoder = new TextDecoder();

function toolCallsIn(request: DispatchRequest): ToolCall[] {
  const body = request.body === undefined || typeof request.body === 'string' ? request.body : decoder.decode(request.body);
  const payload = parseJsonRpcBody(body);
  if (payload === undefined) return [];
  const calls: ToolCall[] = [];
  for (const message of payload.messages) {
    if (methodOf(message) !== 'tools/call' || message.id === undefined) continue;
    const params = (message.params ?? {}) as { name?: unknown; arguments?: unknown };
    calls.push({ id: message.id, name: typeof params.name === 'string' ? params.name : String(params.name), arguments: params.arguments ?? {} });
  }
  return calls;
}

/** The text an MCP tool error result carries (`isError: true`, text content). */
function toolErrorText(result: unknown): string | undefined {
  const { isError, content } = (result ?? {}) as { isError?: unknown; content?: unknown };
  if (isError !== true) return undefined;
  const texts = Array.isArray(content) ? content.filter((item) => (item as { type?: unknown })?.type === 'text').map((item) => String((item as { text?: unknown }).text)) : [];
  return texts.length > 0 ? texts.join('\n') : 'the tool reported an error';
}

function postToolEvent(call: ToolCall, outcome: CallOutcome): PostEventBody {
  const base = { event_type: 'post_tool', tool_name: call.name, tool_input: reportableObject(call.arguments, INPUT_BYTES) };
  if (outcome.kind === 'error') return { ...base, error: reportableText(`JSON-RPC error ${String(outcome.code)}: ${String(outcome.message)}`, ERROR_BYTES) };
  if (outcome.kind === 'unknown') return { ...base, error: reportableText(`outcome unknown: ${outcome.reason}`, ERROR_BYTES) };
  const failure = toolErrorText(outcome.result);
  return {
    ...base,
    tool_output: reportableJson(outcome.result, OUTPUT_BYTES),
    ...(failure === undefined ? {} : { error: reportableText(failure, ERROR_BYTES) }),
  };
}

function safely(record: () => void): void {
  try {
    record();
  } catch {
    // Reporting never breaks the call it reports on.
  }
}

/**
 * Records a `pre_tool` event (tool name, arguments) before each MCP `tools/call` and a
 * `post_tool` event (arguments again, and the result or the error) once its response is in, on
 * the current context's session. Arguments and outcomes are redacted (keys naming secrets, bearer
 * tokens, JWTs) and bounded; headers are never recorded. The response reaches the MCP client
 * unchanged and unwaited-for: the outcome is read from a copy in the background. Placed
 * outermost, so it sees the request as the client wrote it.
 * @internal
 */
export function withToolCallEvents(recorder: () => ToolCallRecorder | undefined): Interceptor {
  return (next) => async (request) => {
    const calls = current() === undefined ? [] : toolCallsIn(request);
    if (calls.length === 0) return next(request);
    let timeline: ToolCallRecorder | undefined;
    safely(() => (timeline = recorder()));
    if (timeline === undefined) return next(request);
    const target = timeline;
    const record = (event: PostEventBody): void => safely(() => void target.record(event));
    for (const call of calls) record({ event_type: 'pre_tool', tool_name: call.name, tool_input: reportableObject(call.arguments, INPUT_BYTES) });
    let response: Response;
    try {
      response = await next(request);
    } catch (error) {
      const reason = error instanceof Error ? error.message : 'the request failed';
      for (const call of calls) record(postToolEvent(call, { kind: 'unknown', reason }));
      throw error;
    }
    const inContext = captureContext();
    const byId = new Map(calls.map((call) => [call.id, call]));
    const watcher = new CallOutcomeWatcher(calls.map((call) => call.id), response.headers.get('content-type') ?? '', (id, outcome) => {
      const call = byId.get(id);
      if (call !== undefined) inContext(() => record(postToolEvent(call, response.ok || outcome.kind !== 'unknown' ? outcome : { kind: 'unknown', reason: `HTTP ${response.status}` })));
    });
    try {
      return watchResponse(response, watcher);
    } catch {
      watcher.end('the response could not be read');
      return response;
    }
  };
}
