/**
 * An event an agent records on its session's timeline: the body of `POST /sessions/{id}/events`
 * (the protocol's `PostEventBody`), spelled out because the published declarations must not
 * depend on the schema library. `test/timeline/timeline-event-shape.test.ts` fails the typecheck if the two ever
 * differ. `event_type` is free text (`message`, `pre_tool`, `my_app.step`…): 1–64 letters, digits
 * or `_ . : -`.
 * @since 0.1.0
 */
export interface TimelineEvent {
  event_type: string;
  run_id?: string | null;
  /** Set from the client's clock when absent; the server keeps it as `reported_at` and orders by its own. */
  timestamp?: string | null;
  tool_name?: string | null;
  tool_input?: Record<string, unknown> | null;
  tool_output?: unknown;
  error?: string | null;
  exit_code?: number | null;
  reason?: string | null;
  role?: string | null;
  content?: Array<Record<string, unknown>> | null;
  result_text?: string | null;
  result_data?: unknown;
  /** On `run_completed`: the run status it leaves, `finished` (the default) or `idle` (the session waits to be resumed). */
  session_status?: 'idle' | 'finished' | null;
}
