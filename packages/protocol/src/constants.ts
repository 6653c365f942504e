/**
 * The contract's plain values — limits, patterns, grant names — without a schema in sight: the
 * entry `@caracal/protocol/constants` for code whose start-up must not load typebox (every CLI
 * command reads a page limit; only a few check a body against its schema).
 */
export {
  BUDGET_MAX,
  CLIENT_SECRET_MAX_LENGTH,
  MAX_HOP,
  NAME_MAX_LENGTH,
  PAGE_LIMIT_DEFAULT,
  PAGE_LIMIT_MAX,
  RESOURCE_MAX_LENGTH,
  SCOPE_MAX_LENGTH,
  SCOPES_MAX_ITEMS,
  TTL_SECONDS_MAX,
} from './limits.ts';
export { ID_PREFIXES, idPatterns, NAME_PATTERN, RESOURCE_PATTERN, SCOPE_PATTERN } from './patterns.ts';
export { ACCESS_TOKEN_TYPE, CLIENT_CREDENTIALS_GRANT, JWT_TOKEN_TYPE, TOKEN_EXCHANGE_GRANT } from './sts/token-grants.ts';
