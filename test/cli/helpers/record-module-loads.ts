// Preloaded with `node --import` by the module-loading test: appends every resolved module URL to
// the file named by CARACAL_TEST_MODULE_LOG, so the test can see what a command really loaded.
import { appendFileSync } from 'node:fs';
import { registerHooks } from 'node:module';

const log = process.env.CARACAL_TEST_MODULE_LOG;
if (log !== undefined) {
  registerHooks({
    resolve(specifier, context, nextResolve) {
      const resolved = nextResolve(specifier, context);
      appendFileSync(log, `${resolved.url}\n`);
      return resolved;
    },
  });
}
