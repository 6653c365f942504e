/**
 * @caracal/protocol — the wire contract of Caracal, written once as schemas that give both
 * run-time validation and static types. Private: the published packages bundle what they use;
 * it is never installed on its own. Named exports only.
 */
export * from './constants.ts';
export {
  AgentSessionId,
  Capabilities,
  Constraints,
  DelegationEdgeId,
  EmptyBody,
  ErrorBody,
  InvocationId,
  Labels,
  Metadata,
  Name,
  Page,
  PageQuery,
  ResourceId,
  Scope,
  Scopes,
  Seconds,
  ServiceAgentId,
  Timestamp,
} from './primitives.ts';
export {
  AgentSessionParams,
  DelegationEdgeParams,
  InvocationParams,
  ServiceAgentParams,
  ZoneParams,
} from './coordinator/coordinator-params.ts';
export {
  CreateDelegationBody,
  CreatedDelegation,
  DelegationChain,
  DelegationChainLink,
  DelegationEdge,
  DelegationEdgePage,
  EdgeStatus,
  ListDelegationsQuery,
  RevokeDelegationResult,
} from './coordinator/delegation-schemas.ts';
export {
  CancelInvocationBody,
  CompleteInvocationBody,
  CreatedInvocation,
  CreateInvocationBody,
  Invocation,
  InvocationPage,
  InvocationStatus,
  ListInvocationsQuery,
} from './coordinator/invocation-schemas.ts';
export {
  Blueprint,
  BlueprintAuthority,
  BlueprintList,
  BlueprintName,
  BlueprintParams,
  BlueprintParametersSchema,
  BlueprintResource,
  BlueprintStatus,
  BlueprintStatusBody,
  BrokenBlueprint,
  CreateBlueprintBody,
  ListBlueprintsQuery,
  McpServers,
  UpdateBlueprintBody,
} from './coordinator/blueprint-schemas.ts';
export { Nullable, StringEnum } from './coordinator/schema-helpers.ts';
export { BeginBody, BeginFields, EndBody, EndFields, ExchangeBody, ExchangeFields } from './coordinator/seed-route-schemas.ts';
export { SeedBody, withoutSeedNulls, type SeedShape } from './seed-body.ts';
export {
  DeregisterResult,
  HeartbeatBody,
  HeartbeatResult,
  ListServicesQuery,
  RegisteredService,
  RegisterServiceBody,
  ServiceAgent,
  ServiceAgentPage,
  ServiceStatus,
} from './coordinator/service-agent-schemas.ts';
export {
  AgentSession,
  AgentSessionPage,
  ListChildrenQuery,
  ListSessionsQuery,
  ResumeResult,
  SessionKind,
  SessionStatus,
  SpawnedSession,
  SpawnGrant,
  SpawnSessionBody,
  SuspendResult,
  TerminateResult,
} from './coordinator/session-schemas.ts';
export { DryRunQuery, ResumeImpact, RevokeImpact, SuspendImpact, TerminateImpact } from './coordinator/dry-run-schemas.ts';
export {
  CreateSeedSessionBody,
  DeletedSeedSession,
  eventFields,
  EventSource,
  EventType,
  ExecutionMode,
  LegacyEventsParams,
  LegacyPostedEvent,
  LegacyPostEventBody,
  ListSeedSessionsQuery,
  ListSessionEventsQuery,
  PostedEvents,
  PostEventBody,
  PostEventsBody,
  RunStatus,
  SeedSession,
  SeedSessionAnswer,
  SeedSessionChanged,
  SeedSessionPage,
  SeedSessionParams,
  SeedSessionStatus,
  SeedStatusParams,
  SESSION_EVENT_BODY_FIELDS,
  SessionEvent,
  SessionEventPage,
  SessionResult,
  SessionText,
  TERMINAL_RUN_STATUSES,
  UpdateSeedMetadataBody,
} from './coordinator/timeline-schemas.ts';
export {
  CompletedRunBody,
  CompletedSessionStatus,
  CreatedRun,
  CreateRunBody,
  FailedRunBody,
  FINAL_RUN_STATES,
  HeartbeatAnswer,
  ListRunsQuery,
  NoWork,
  RegisteredRunner,
  RegisterRunnerBody,
  Run,
  RunAnswer,
  RunId,
  Runner,
  RunnerAck,
  RunnerBody,
  RunnerExecutor,
  RunnerId,
  RunnerList,
  RunnerParams,
  RunnerPollAnswer,
  RunnerPollQuery,
  RunnerStatus,
  RunPage,
  RunParameters,
  RunParams,
  RunPrompt,
  RunState,
  RunType,
  StopSessionParams,
} from './coordinator/run-schemas.ts';
export { TIMELINE_TOPIC } from './topics.ts';
export { BootstrapApplication, BootstrapDocument, BootstrapResource, BootstrapZone } from './bootstrap-document.ts';
export { schemaChecker, type SchemaCheck } from './schema-checker.ts';
export type { UncheckedBody } from './unchecked-body.ts';
export {
  MANDATE_USES,
  MAX_CALL_MANDATE_SECONDS,
  MCP_ACTING_METHODS,
  type ActorClaim,
  type ExchangedMandateUse,
  type MandateClaims,
  type MandateUse,
} from './mandate-claims.ts';
export { ALL_TOPICS, Topics, type Topic } from './topics.ts';
export { canonicalFieldString, SIGNATURE_FIELD, SIGNATURE_PATTERN, type EventFields } from './event-fields.ts';
export { isServerErrorCode, SERVER_ERROR_CODES, type ServerErrorCode } from './server-error-code.ts';
export { backoffDelay, type BackoffJitterSpread, type BackoffOptions } from './backoff.ts';
export {
  isPresentStreamEntry,
  readStreamEntries,
  readStreamReply,
  type PresentStreamEntry,
  type StreamEntry,
} from './redis-stream-reply.ts';

// STS: token endpoint, verify, well-known documents, admin API.
export { Application, ApplicationPage, CreateApplicationBody, CreatedApplication } from './sts/application.ts';
export { KEY_GRACE_SECONDS_MAX, KeyRotation, RotateKeysBody } from './sts/key-rotation.ts';
export {
  OPERATOR_TOKEN_SECONDS_DEFAULT,
  OPERATOR_TOKEN_SECONDS_MAX,
  OPERATOR_TOKEN_SECONDS_MIN,
  OperatorTokenBody,
} from './sts/operator-token.ts';
export { CreateResourceBody, Resource, ResourcePage } from './sts/resource.ts';
export { TokenRequestForm } from './sts/token-request.ts';
export { TokenResponse } from './sts/token-response.ts';
export { VERIFY_TOKEN_MAX_LENGTH, VerifyBody, VerifyFields, VerifyResponse } from './sts/verify.ts';
export { AuthorizationServerMetadata, Jwks, JwksQuery, MetadataQuery, PublicJwk } from './sts/well-known.ts';
export { CreateZoneBody, DisplayName, Zone, ZonePage } from './sts/zone.ts';

// Live feeds (SSE and WebSocket) and the health routes.
export { FeedEvent, FeedReady } from './feeds/feed-event.ts';
export { EventsHeaders, EventsParams, EventsQuery, FEED_CURSOR_MAX_LENGTH, SessionFeedQuery, WebSocketQuery } from './feeds/feed-query.ts';
export {
  SessionFeedEvent,
  SessionFeedInit,
  SessionFeedMessage,
  SessionFeedRunFailed,
  SessionFeedSessionChange,
  SessionFeedSessionDeleted,
} from './feeds/session-feed-message.ts';
export { Health, Readiness } from './health.ts';
