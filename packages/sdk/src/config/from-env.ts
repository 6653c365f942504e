import type { CaracalOptions } from './caracal-options.ts';
import type { SettingNames } from './resolve-config.ts';

/**
 * Environment variables `Caracal.fromEnv()` reads, by option.
 * @since 0.1.0
 */
export const ENVIRONMENT_VARIABLES = Object.freeze({
  coordinatorUrl: 'CARACAL_COORDINATOR_URL',
  stsUrl: 'CARACAL_STS_URL',
  zoneId: 'CARACAL_ZONE_ID',
  clientId: 'CARACAL_CLIENT_ID',
  clientSecret: 'CARACAL_CLIENT_SECRET',
  subjectToken: 'CARACAL_SUBJECT_TOKEN',
} as const) satisfies SettingNames;

/** An environment: `process.env` or any record of strings. @since 0.1.0 */
export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Reads client options from an environment; empty variables count as unset. `overrides` supply
 * what the environment cannot (a dispatcher, a clock, retry tuning).
 * @internal
 */
export function optionsFromEnv(env: Environment, overrides: Partial<CaracalOptions> = {}): CaracalOptions {
  const read = (name: string): string | undefined => {
    const value = env[name];
    return value === undefined || value === '' ? undefined : value;
  };
  const fromEnv = {
    coordinatorUrl: read(ENVIRONMENT_VARIABLES.coordinatorUrl),
    stsUrl: read(ENVIRONMENT_VARIABLES.stsUrl),
    zoneId: read(ENVIRONMENT_VARIABLES.zoneId),
    clientId: read(ENVIRONMENT_VARIABLES.clientId),
    clientSecret: read(ENVIRONMENT_VARIABLES.clientSecret),
    subjectToken: read(ENVIRONMENT_VARIABLES.subjectToken),
  };
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, value]) => value !== undefined));
  return { ...fromEnv, ...defined } as CaracalOptions;
}
