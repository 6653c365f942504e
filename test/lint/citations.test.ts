import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// Docs and comments cite only what the repository holds (docs/, docs/decisions/): never the design
// handbook or the seed documents the project started from, which are not in it.
const root = resolve(import.meta.dirname, '../..');
const scanned = ['packages', 'examples', 'test', 'bench', 'docs', 'README.md'];
const skipped = new Set(['node_modules', 'dist', 'coverage']);
const outsideCitation = /DESIGN(\.md)? ?§|DESIGN\.md|\bseeds?[\s`/-]*0\d\d/i;

function* textFiles(path: string): Generator<string> {
  const entries = readdirSync(path, { withFileTypes: true });
  for (const entry of entries) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) {
      if (!skipped.has(entry.name)) yield* textFiles(full);
    } else if (/\.(ts|js|md|sql)$/.test(entry.name)) {
      yield full;
    }
  }
}

function allFiles(): string[] {
  const files = scanned.flatMap((name) => (name.endsWith('.md') ? [join(root, name)] : [...textFiles(join(root, name))]));
  return files.filter((file) => file !== import.meta.filename);
}

describe('citations', () => {
  it('no doc or comment cites the design handbook or a seed document', () => {
    const offending = allFiles().flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (outsideCitation.test(line) ? [`${relative(root, file)}:${index + 1}: ${line.trim()}`] : [])),
    );
    expect(offending).toEqual([]);
  });

  it('the check recognises each form it forbids', () => {
    for (const line of ['(DESIGN §4)', 'seed 003 formula', "seed `004_…`", 'seed-001 session', 'see DESIGN.md']) {
      expect(outsideCitation.test(line), line).toBe(true);
    }
    for (const line of ['RFC 6749 §3.3', 'fc.sample(arb, { seed })', 'seed-routes.ts', 'docs/verify.md section 1']) {
      expect(outsideCitation.test(line), line).toBe(false);
    }
  });
});
