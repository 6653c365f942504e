/**
 * The contract's plain values — limits, patterns, grant names — without a schema in sight: the
 * entry `@caracal/protocol/constants` for code whose start-up must not load typebox (every CLI
 * command reads a page limit; only a few check a body against its schema).
 */
export * from './limits.ts';
export * from './patterns.ts';
export * from './sts/token-grants.ts';
export * from './wire-text.ts';
