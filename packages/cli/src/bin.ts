#!/usr/bin/env node
import { nodeVersionProblem, OLD_NODE_EXIT_CODE } from './node-version.ts';

// Written for any Node: the version is checked before the code that needs Node 22 is even parsed
// (it sits behind the dynamic import), so an older Node prints one line instead of a SyntaxError.
const problem = nodeVersionProblem(process.versions.node);
if (problem === undefined) {
  await import('./main.ts');
} else {
  process.stderr.write(`${problem}\n`);
  process.exitCode = OLD_NODE_EXIT_CODE;
}
