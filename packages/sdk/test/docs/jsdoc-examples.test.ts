import { mkdtempSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkJsdocExamples, extractExamples } from '../../scripts/check-jsdoc-examples.ts';

const packageRoot = resolve(import.meta.dirname, '../..');
const outDir = mkdtempSync(join(packageRoot, 'node_modules/.cache/jsdoc-examples-test-'));
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe('JSDoc @example check (scripts/check-jsdoc-examples.ts, run by pnpm run typecheck)', () => {
  it('extracts each example up to the next tag, with the line it starts on', () => {
    const text = ['/**', ' * Summary.', ' * @example', ' * const a = 1;', ' * a + 1;', ' * @since 0.1.0', ' */', 'export const x = 1;', '/** @example', ' * x; */'].join('\n');
    expect(extractExamples('/m.ts', text)).toEqual([
      { file: '/m.ts', line: 4, code: 'const a = 1;\na + 1;' },
      { file: '/m.ts', line: 10, code: 'x;' },
    ]);
  });

  it('reports an example that does not compile, at its line in the source, and passes one that does', () => {
    const { examples, problems } = checkJsdocExamples({ srcDir: join(import.meta.dirname, 'fixtures'), outDir });
    expect(examples).toBe(3);
    expect(problems).toEqual([
      { file: 'test/docs/fixtures/examples-module.ts', line: 17, message: "Property 'sessionToken' does not exist on type 'Caracal'." },
      { file: 'test/docs/fixtures/examples-module.ts', line: 24, message: expect.stringMatching(/^Property 'CARACAL_NO_SUCH_VARIABLE' does not exist/) },
    ]);
  }, 60_000);
});
