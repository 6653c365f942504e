import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * A README code block preceded by `<!-- example: examples/<name>/run.ts#<region> -->` must be
 * exactly the lines between `// #region <region>` and `// #endregion <region>` of that file
 * (dedented): the README shows the code examples.test.ts runs, never a copy that drifted.
 */
const documents = ['README.md', 'packages/sdk/README.md', 'docs/transports.md'];
const MARKER = /<!-- example: (\S+?)#(\S+?) -->\n```ts\n([\s\S]*?)\n```/g;

function regionOf(source: string, region: string): string | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((line) => line.trim() === `// #region ${region}`);
  const end = lines.findIndex((line, index) => index > start && line.trim() === `// #endregion ${region}`);
  if (start === -1 || end === -1) return undefined;
  const body = lines.slice(start + 1, end);
  const indent = Math.min(...body.filter((line) => line.trim() !== '').map((line) => /^ */.exec(line)![0].length));
  return body.map((line) => line.slice(indent)).join('\n');
}

function embedded(document: string): Array<{ file: string; region: string; shown: string }> {
  const text = readFileSync(join(root, document), 'utf8');
  return [...text.matchAll(MARKER)].map(([, file, region, shown]) => ({ file: file!, region: region!, shown: shown! }));
}

describe('README code blocks are the examples that run', () => {
  it("the root README's first code block is the quickstart story", () => {
    const text = readFileSync(join(root, 'README.md'), 'utf8');
    const firstBlock = text.indexOf('```');
    const marker = text.indexOf('<!-- example: examples/quickstart/run.ts#story -->');
    expect(marker).toBeGreaterThan(-1);
    expect(marker).toBeLessThan(firstBlock);
  });

  it.each(documents)('%s shows each marked example exactly as its region', (document) => {
    const blocks = embedded(document);
    expect(blocks.length, `${document} embeds no example`).toBeGreaterThan(0);
    for (const { file, region, shown } of blocks) {
      const expected = regionOf(readFileSync(join(root, file), 'utf8'), region);
      expect(expected, `${file} has no region ${region}`).toBeDefined();
      expect(shown, `${document} differs from ${file}#${region}`).toBe(expected);
    }
  });

  it('a region is found and dedented; a missing one is undefined', () => {
    const source = ['x();', '  // #region a', '  one();', '    two();', '  // #endregion a'].join('\n');
    expect(regionOf(source, 'a')).toBe('one();\n  two();');
    expect(regionOf(source, 'b')).toBeUndefined();
  });
});
