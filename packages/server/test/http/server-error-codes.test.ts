import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isServerErrorCode, SERVER_ERROR_CODES } from '@caracal/protocol';
import { describe, expect, it } from 'vitest';
import { CONCURRENT_CHANGE } from '../../src/coordinator/shared/concurrent-change.ts';
import { SEATS_MISSING } from '../../src/coordinator/sessions/spawn-repository.ts';

const PACKAGE = join(import.meta.dirname, '../..');
const DOCS = join(PACKAGE, '../../docs/errors.md');

/** The codes in the first column of the server section's table of docs/errors.md. */
function documentedCodes(): string[] {
  const text = readFileSync(DOCS, 'utf8');
  const section = text.slice(text.indexOf('\n## Server\n'));
  return [...section.matchAll(/^\| `([a-z_]+)` \|/gm)].map((match) => match[1]!);
}

function filesUnder(folder: string, suffix: string): string[] {
  return readdirSync(folder, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
    .map((entry) => join(entry.parentPath, entry.name));
}

describe('the server error codes', () => {
  it('are documented in docs/errors.md, each once, and nothing else is', () => {
    const documented = documentedCodes();
    expect(new Set(documented).size).toBe(documented.length);
    expect([...documented].sort()).toEqual([...SERVER_ERROR_CODES].sort());
  });

  it('include every code a SQL statement refuses with', () => {
    const sources = [...filesUnder(join(PACKAGE, 'migrations'), '.sql'), ...filesUnder(join(PACKAGE, 'src'), '.ts')];
    const refused = new Set<string>();
    for (const file of sources) {
      for (const match of readFileSync(file, 'utf8').matchAll(/coordinator_refuse\(\s*\d{3}\s*,\s*'([a-z_]+)'/g)) refused.add(match[1]!);
    }
    expect(refused.size).toBeGreaterThan(0);
    for (const code of [...refused, CONCURRENT_CHANGE, SEATS_MISSING]) expect(isServerErrorCode(code), code).toBe(true);
  });
});
