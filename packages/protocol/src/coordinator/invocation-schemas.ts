import { Type, type Static } from 'typebox';
import { AgentSessionId, InvocationId, ListQuery, Metadata, Name, Seconds, ServiceAgentId, Timestamp } from '../primitives.ts';
import { recordAnswers } from './record-answers.ts';
import { Nullable, StringEnum } from './schema-helpers.ts';

/** Bodies of `/zones/{zoneId}/invocations…` and what they answer. */

export const InvocationStatus = StringEnum(['pending', 'running', 'succeeded', 'failed', 'cancelled', 'expired']);
export type InvocationStatus = Static<typeof InvocationStatus>;

/** `deadline_at` and `timeout_seconds` are alternatives. */
export const CreateInvocationBody = Type.Object(
  {
    agent_session_id: AgentSessionId,
    operation: Type.String({ minLength: 1, maxLength: 256 }),
    service_id: Type.Optional(ServiceAgentId),
    input: Type.Optional(Metadata),
    metadata: Type.Optional(Metadata),
    deadline_at: Type.Optional(Timestamp),
    timeout_seconds: Type.Optional(Seconds),
  },
  { additionalProperties: false },
);
export type CreateInvocationBody = Static<typeof CreateInvocationBody>;

export const CompleteInvocationBody = Type.Object(
  { status: Type.Optional(StringEnum(['succeeded', 'failed'])), output: Type.Optional(Type.Unknown()), error: Type.Optional(Type.Unknown()) },
  { additionalProperties: false },
);
export type CompleteInvocationBody = Static<typeof CompleteInvocationBody>;

export const CancelInvocationBody = Type.Object(
  { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })) },
  { additionalProperties: false },
);
export type CancelInvocationBody = Static<typeof CancelInvocationBody>;

export const ListInvocationsQuery = ListQuery({ status: InvocationStatus, agent_session_id: AgentSessionId, service_id: ServiceAgentId });
export type ListInvocationsQuery = Static<typeof ListInvocationsQuery>;

/** An invocation as reads, lists and state changes show it; the 201 of a create adds `invocation_id`. */
const invocation = recordAnswers('invocation_id', {
  id: InvocationId,
  zone_id: Name,
  application_id: Name,
  agent_session_id: AgentSessionId,
  service_id: Nullable(Type.String()),
  operation: Type.String(),
  input: Metadata,
  output: Type.Unknown(),
  error: Type.Unknown(),
  metadata: Metadata,
  status: InvocationStatus,
  deadline_at: Nullable(Type.String()),
  created_at: Timestamp,
  started_at: Nullable(Type.String()),
  finished_at: Nullable(Type.String()),
  cancel_reason: Nullable(Type.String()),
});

export const Invocation = invocation.record;
export type Invocation = Static<typeof Invocation>;
export const InvocationPage = invocation.page;
export type InvocationPage = Static<typeof InvocationPage>;
export const CreatedInvocation = invocation.created;
export type CreatedInvocation = Static<typeof CreatedInvocation>;
