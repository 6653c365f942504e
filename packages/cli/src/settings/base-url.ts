import { CliError } from '../errors.ts';

/** Checks that `value` (from `source`) is an http(s) URL and drops a trailing slash. */
export function parseBaseUrl(value: string, source: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new CliError('invalid_config', `${source} is not a URL: ${value}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new CliError('invalid_config', `${source} must be an http:// or https:// URL: ${value}`);
  }
  return value.replace(/\/+$/, '');
}
