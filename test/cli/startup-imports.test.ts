import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { assertBuiltCli, CLI_BIN } from './helpers/built-cli.ts';

/** The files a command loads before it does anything: bin.js and its static imports, transitively. */
function staticImportClosure(entry: string): { files: string[]; packages: Set<string> } {
  const files: string[] = [];
  const packages = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop() as string;
    if (files.includes(file)) continue;
    files.push(file);
    const source = readFileSync(file, 'utf8');
    // Only `import … from "x"` and bare `import "x"`: a dynamic import() is loaded on demand.
    for (const match of source.matchAll(/(?:^|[\s;])(?:import|export)\s(?:[^'"();]*?\sfrom\s)?["']([^"']+)["']/g)) {
      const target = match[1] as string;
      if (target.startsWith('.')) pending.push(join(dirname(file), target));
      else packages.add(target);
    }
  }
  return { files, packages };
}

beforeAll(() => {
  assertBuiltCli();
});

describe('the built caracal binary at start-up', () => {
  it('loads no schema library: typebox is imported only by the commands that check a body against its schema', () => {
    const mainChunk = readFileSync(CLI_BIN, 'utf8').match(/import\(["'](\.\/main-[^"']+)["']\)/)?.[1];
    expect(mainChunk).toBeDefined();
    const runChunk = readFileSync(join(dirname(CLI_BIN), mainChunk as string), 'utf8').match(/import\(["'](\.\/run-[^"']+)["']\)/)?.[1];
    expect(runChunk).toBeDefined();
    const { files, packages } = staticImportClosure(join(dirname(CLI_BIN), runChunk as string));
    expect(files.length).toBeGreaterThan(0);
    expect([...packages].filter((name) => name.startsWith('typebox'))).toEqual([]);
  });
});
