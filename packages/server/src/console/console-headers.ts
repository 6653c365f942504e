/**
 * The console page's Content-Security-Policy: its own scripts, styles and API only, never framed,
 * no inline code (docs/console.md, "Security").
 */
export const CONSOLE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Headers on every console answer (page and assets). */
export const CONSOLE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONSOLE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

/** Hashed file names change with their content, so a browser may keep them for a year. */
export const IMMUTABLE_CACHE = 'public, max-age=31536000, immutable';

/** The page itself is revalidated on every load, so a new build is picked up at once. */
export const PAGE_CACHE = 'no-cache';
