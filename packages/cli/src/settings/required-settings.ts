import { CliError } from '../errors.ts';
import { parseBaseUrl } from './base-url.ts';

/**
 * The values of settings that must all be set, or one `missing_setting` error naming every one
 * that is not (each with its `missing` line, in order), so one attempt shows everything to fix.
 */
export function requiredSettings<Key extends string>(
  settings: Record<Key, { value: string | undefined; missing: string }>,
): Record<Key, string> {
  const entries = Object.entries(settings) as Array<[Key, { value: string | undefined; missing: string }]>;
  const lines = entries.filter(([, setting]) => setting.value === undefined).map(([, setting]) => setting.missing);
  if (lines.length > 0) throw new CliError('missing_setting', lines.join('\n'));
  return Object.fromEntries(entries.map(([key, setting]) => [key, setting.value])) as Record<Key, string>;
}

/** A server's base URL (checked, from `source`) and a bearer, both required (see requiredSettings). */
export function urlAndBearer(
  url: { value: string | undefined; missing: string; source: string },
  bearer: { value: string | undefined; missing: string },
): { url: string; bearer: string } {
  const values = requiredSettings({ url: { value: url.value, missing: url.missing }, bearer });
  return { url: parseBaseUrl(values.url, url.source), bearer: values.bearer };
}
