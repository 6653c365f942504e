/** ANSI styling that collapses to plain text when colour is off. */
export interface Style {
  enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

const wrap =
  (enabled: boolean, open: number, close: number) =>
  (text: string): string =>
    enabled ? `\u001B[${open}m${text}\u001B[${close}m` : text;

export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: wrap(enabled, 1, 22),
    dim: wrap(enabled, 2, 22),
    green: wrap(enabled, 32, 39),
    yellow: wrap(enabled, 33, 39),
    red: wrap(enabled, 31, 39),
    cyan: wrap(enabled, 36, 39),
  };
}

/**
 * Colour only on a terminal, and never when NO_COLOR is set to anything non-empty
 * (https://no-color.org). FORCE_COLOR is deliberately not honoured: pipes stay plain.
 */
export function colourEnabled(isTTY: boolean, env: Readonly<Record<string, string | undefined>>): boolean {
  const noColour = env.NO_COLOR;
  return isTTY && (noColour === undefined || noColour === '');
}

/** Colours a session or edge status so the unusual ones stand out. */
export function styleStatus(style: Style, status: string): string {
  if (status === 'active') return style.green(status);
  if (status === 'suspended') return style.yellow(status);
  if (status === 'terminated' || status === 'revoked' || status === 'expired') return style.red(status);
  return status;
}
