import nodeModule from 'node:module';

// Reuses V8's compiled code between runs (a few ms per start on every command). Called before the
// CLI itself loads, so the CLI's modules are the ones cached; harmless when the cache dir is not
// writable. Read off the module object: Node 22.0 has no such export, and a named import would
// fail there before any code runs.
nodeModule.enableCompileCache?.();
const { run } = await import('./run.ts');

// With bin.ts, the only files that touch `process`: everything below gets it through `CliIo`.

// `caracal agent list | head -1` closes the pipe early; stop quietly like other Unix tools do.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
  });
}

const waitForShutdown = (): Promise<string> =>
  new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });

process.exitCode = await run(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  isTTY: process.stdout.isTTY === true,
  stderrIsTTY: process.stderr.isTTY === true,
  waitForShutdown,
  openUrl: async (url) => (await import('./open-url.ts')).openUrl(url),
});
