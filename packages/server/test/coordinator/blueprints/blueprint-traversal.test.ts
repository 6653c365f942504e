import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { testBackends } from '../../helpers/backends.ts';
import { useBlueprintSuite } from './blueprint-fixture.ts';

/** Every file under `root` with its content and modification time: what "nothing changed" compares. */
function snapshot(root: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (directory: string) => {
    for (const entry of readdirSync(directory, { withFileTypes: true })) {
      const path = join(directory, entry.name);
      if (entry.isDirectory()) {
        files[`${path}/`] = String(statSync(path).mtimeMs);
        walk(path);
      } else files[path] = `${statSync(path).mtimeMs} ${readFileSync(path, 'utf8')}`;
    }
  };
  walk(root);
  return files;
}

/** Names that would leave a zone's folder, or the agents dir, if they ever became a path. */
const HOSTILE_NAMES = [
  '..',
  '.',
  '%2E%2E',
  '%2e%2e',
  '%2E%2E%2F%2E%2E',
  '..%2F..%2Fsentinel',
  '%2E%2E%2Fsentinel',
  'a%2Fb',
  'a%2F..%2F..%2Fsentinel',
  '%5C..%5Csentinel',
  'victim%2F..',
  '.hidden',
  '-leading',
  'a%00b',
  'a%20b',
  'name.json',
  'a'.repeat(61),
  'a'.repeat(20_000),
];

describe.each(testBackends())('blueprint names on every route on $name', (backend) => {
  const root = mkdtempSync(join(tmpdir(), 'caracal-traversal-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const suite = useBlueprintSuite(backend, { agentsDir: () => join(root, 'agents') });

  it('refuses a hostile name with a 4xx on each route and changes nothing on disk', async () => {
    mkdirSync(join(root, 'sentinel'), { recursive: true });
    writeFileSync(join(root, 'sentinel', 'agent.json'), JSON.stringify({ name: 'sentinel' }));
    const operator = (method: string, url: string, body?: unknown) => suite.call({ method, url, token: suite.tokens.operator, body });
    expect((await operator('POST', '/agents', { name: 'victim', description: 'kept' })).statusCode).toBe(201);
    const before = snapshot(root);
    const decoded = (name: string) => {
      try {
        return decodeURIComponent(name);
      } catch {
        return name;
      }
    };
    for (const name of [...HOSTILE_NAMES, 'a/b', '../sentinel', 'victim/..']) {
      const attempts: Array<[string, string, unknown]> = [
        ['GET', `/agents/${name}`, undefined],
        ['PATCH', `/agents/${name}`, { description: 'overwritten' }],
        ['PATCH', `/agents/${name}/status`, { status: 'inactive' }],
        ['DELETE', `/agents/${name}`, undefined],
        ['POST', '/agents', { name: decoded(name), description: 'planted' }],
        ['POST', '/agents', { name }],
      ];
      for (const [method, url, body] of attempts) {
        const answer = await operator(method, url, body);
        expect(answer.statusCode, `${method} ${url.slice(0, 80)} ${JSON.stringify(body)?.slice(0, 80)}`).toBeGreaterThanOrEqual(400);
        expect(answer.statusCode, `${method} ${url.slice(0, 80)}`).toBeLessThan(500);
      }
    }
    expect(snapshot(root)).toEqual(before);
    expect((await operator('GET', '/agents/victim')).json()).toMatchObject({ description: 'kept', status: 'active' });
  });
});
