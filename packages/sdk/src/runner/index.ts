/**
 * `@caracal/sdk/runner`: runs the agents of Coordinator runs, each inside its run's Caracal session
 * (docs/runs.md, "Runners in the SDK").
 * @since 0.1.0
 */

import { assertSupportedNode } from '../node-version.ts';

// On an older Node.js the import fails here, with one line naming the version needed.
assertSupportedNode();

export { createRunner } from './create-runner.ts';
export type { Runner } from './create-runner.ts';
export type { ExecuteRun, RunnerErrorEvent, RunnerOptions, RunTools } from './runner-options.ts';
export type { Run } from './run.ts';
