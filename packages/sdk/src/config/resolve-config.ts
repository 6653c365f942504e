import type { Dispatcher } from 'undici';
import type { Credentials } from '../auth/token-provider.ts';
import type { CleanupErrorEvent } from '../context/cleanup-error.ts';
import { systemClock, type Clock } from '../time/clock.ts';
import type { RetryPolicy } from '../retry/retry-policy.ts';
import { DEFAULT_TIMEOUT_MS, type CaracalOptions } from './caracal-options.ts';
import { ConfigIssues } from './config-issues.ts';
import { resolveRetryPolicy } from './resolve-retry-policy.ts';
import { DEFAULT_FLUSH_TIMEOUT_MS, DEFAULT_MAX_QUEUED_EVENTS } from '../timeline/timeline-options.ts';

/** Validated settings of a client. @internal */
export interface ResolvedConfig {
  readonly coordinatorUrl: URL;
  readonly stsUrl: URL;
  readonly zoneId: string;
  readonly clientId: string;
  readonly credentials: Credentials;
  readonly timeoutMs: number;
  readonly retry: RetryPolicy;
  readonly dispatcher: Dispatcher | undefined;
  readonly clock: Clock;
  readonly onCleanupError: ((event: CleanupErrorEvent) => void) | undefined;
  readonly timeline: { readonly maxQueuedEvents: number; readonly flushTimeoutMs: number };
}

/** The name to show for each setting; `fromEnv` maps them to environment variables. @internal */
export type SettingNames = Readonly<Partial<Record<keyof CaracalOptions, string>>>;

/** @internal */
export interface ResolveOptions {
  readonly names?: SettingNames | undefined;
  /** Where the settings came from, for the error message. */
  readonly source?: string | undefined;
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function checkUrl(value: unknown, setting: string, issues: ConfigIssues): URL | undefined {
  if (isBlank(value)) return undefined;
  let url: URL;
  try {
    url = new URL(String(value));
  } catch {
    issues.add(setting, `is not a valid URL: ${JSON.stringify(String(value))}`);
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') issues.add(setting, `must use http or https, got ${url.protocol}`);
  else if (url.search !== '' || url.hash !== '') issues.add(setting, 'must not have a query string or fragment');
  else if (url.username !== '' || url.password !== '') issues.add(setting, 'must not embed credentials');
  else return url;
  return undefined;
}

function checkText(value: unknown, setting: string, issues: ConfigIssues): string | undefined {
  if (isBlank(value)) {
    issues.add(setting, 'is required');
    return undefined;
  }
  if (typeof value !== 'string' || value.trim() !== value) {
    issues.add(setting, 'must be a string without surrounding spaces');
    return undefined;
  }
  return value;
}

function checkCredentials(options: CaracalOptions, clientId: string | undefined, name: (key: keyof CaracalOptions) => string, issues: ConfigIssues): Credentials | undefined {
  const given = (['clientSecret', 'subjectToken', 'tokenSource'] as const).filter((key) => !isBlank(options[key]));
  if (given.length === 0) {
    issues.add(`${name('clientSecret')} | ${name('subjectToken')} | ${name('tokenSource')}`, 'one of these is required to authenticate');
    return undefined;
  }
  if (given.length > 1) {
    issues.add(given.map(name).join(' + '), `set only one of ${given.map(name).join(', ')}`);
    return undefined;
  }
  const { clientSecret, subjectToken, tokenSource } = options;
  if (tokenSource !== undefined) {
    if (typeof tokenSource === 'function') return { kind: 'token-source', tokenSource };
    issues.add(name('tokenSource'), 'must be a function returning the token');
  } else if (subjectToken !== undefined) {
    if (typeof subjectToken === 'string') return { kind: 'subject-token', subjectToken };
    issues.add(name('subjectToken'), 'must be a string');
  } else if (typeof clientSecret === 'string') {
    return clientId === undefined ? undefined : { kind: 'client-secret', clientId, clientSecret };
  } else {
    issues.add(name('clientSecret'), 'must be a string');
  }
  return undefined;
}

function checkOptionalPieces(options: CaracalOptions, issues: ConfigIssues): void {
  const { timeoutMs, dispatcher, clock, onCleanupError } = options;
  if (timeoutMs !== undefined && !(typeof timeoutMs === 'number' && Number.isInteger(timeoutMs) && timeoutMs > 0 && timeoutMs <= 2_147_483_647)) {
    issues.add('timeoutMs', `must be a positive integer number of milliseconds, got ${String(timeoutMs)}`);
  }
  if (dispatcher !== undefined && typeof (dispatcher as { dispatch?: unknown } | null)?.dispatch !== 'function') {
    issues.add('dispatcher', 'must be an undici Dispatcher (Agent, Pool, …)');
  }
  if (clock !== undefined && (typeof clock?.now !== 'function' || typeof clock.sleep !== 'function')) {
    issues.add('clock', 'must have now() and sleep(ms, signal)');
  }
  if (onCleanupError !== undefined && typeof onCleanupError !== 'function') issues.add('onCleanupError', 'must be a function');
  checkTimeline(options.timeline, issues);
}

function checkTimeline(timeline: CaracalOptions['timeline'], issues: ConfigIssues): void {
  if (timeline === undefined) return;
  if (typeof timeline !== 'object' || timeline === null) {
    issues.add('timeline', 'must be an object { maxQueuedEvents?, flushTimeoutMs? }');
    return;
  }
  for (const key of ['maxQueuedEvents', 'flushTimeoutMs'] as const) {
    const value = timeline[key];
    if (value !== undefined && !(typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= 2_147_483_647)) {
      issues.add(`timeline.${key}`, `must be a non-negative integer, got ${String(value)}`);
    }
  }
}

/**
 * Validates options and fills defaults. Every problem is collected and thrown together as one
 * `CONFIG_INVALID` error whose message and `settings` name each offending option (or
 * environment variable, via `names`).
 * @internal
 */
export function resolveConfig(options: CaracalOptions, resolveOptions: ResolveOptions = {}): ResolvedConfig {
  const names = resolveOptions.names ?? {};
  const name = (key: keyof CaracalOptions): string => names[key] ?? key;
  const issues = new ConfigIssues();
  if (typeof options !== 'object' || options === null) {
    issues.add('options', 'must be an object');
    issues.throwIfAny(resolveOptions.source ?? 'new Caracal(options)');
  }
  const coordinatorUrl = checkUrl(options.coordinatorUrl, name('coordinatorUrl'), issues);
  if (isBlank(options.coordinatorUrl)) issues.add(name('coordinatorUrl'), 'is required');
  const stsUrl = checkUrl(options.stsUrl, name('stsUrl'), issues);
  const zoneId = checkText(options.zoneId, name('zoneId'), issues);
  const clientId = checkText(options.clientId, name('clientId'), issues);
  const credentials = checkCredentials(options, clientId, name, issues);
  const retry = resolveRetryPolicy(options.retry, issues);
  checkOptionalPieces(options, issues);
  issues.throwIfAny(resolveOptions.source ?? 'new Caracal(options)');
  return Object.freeze({
    coordinatorUrl: coordinatorUrl as URL,
    stsUrl: stsUrl ?? (coordinatorUrl as URL),
    zoneId: zoneId as string,
    clientId: clientId as string,
    credentials: credentials as Credentials,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry,
    dispatcher: options.dispatcher,
    clock: options.clock ?? systemClock,
    onCleanupError: options.onCleanupError,
    timeline: {
      maxQueuedEvents: options.timeline?.maxQueuedEvents ?? DEFAULT_MAX_QUEUED_EVENTS,
      flushTimeoutMs: options.timeline?.flushTimeoutMs ?? DEFAULT_FLUSH_TIMEOUT_MS,
    },
  });
}
