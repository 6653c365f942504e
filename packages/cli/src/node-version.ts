/** The oldest Node.js the CLI runs on; `engines.node` in package.json says the same. */
export const REQUIRED_NODE_MAJOR = 22;

/** Exit code on an older Node: 3, like any other missing prerequisite (`ExitCode.config`). */
export const OLD_NODE_EXIT_CODE = 3;

/**
 * The one line to print when `version` (`process.versions.node`) is older than the CLI needs, or
 * undefined when it is recent enough.
 */
export function nodeVersionProblem(version: string): string | undefined {
  const major = Number(version.split('.')[0]);
  if (major >= REQUIRED_NODE_MAJOR) return undefined;
  return `caracal needs Node.js ${REQUIRED_NODE_MAJOR} or newer (this is Node.js ${version})`;
}
