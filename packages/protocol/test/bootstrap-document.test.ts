import { describe, expect, it } from 'vitest';
import { BootstrapDocument, schemaChecker, SCOPE_MAX_LENGTH } from '../src/index.ts';

const check = schemaChecker(BootstrapDocument);

describe('the bootstrap document', () => {
  it('takes zones with applications (admin flag included) and resources', () => {
    const document = {
      zones: [
        {
          id: 'zone_dev',
          name: 'Development',
          applications: [{ id: 'app_ops', secret: 's', scopes: ['s'.repeat(SCOPE_MAX_LENGTH)], admin: true }],
          resources: [{ id: 'mcp://tools.local', scopes: ['tools:call'] }],
        },
      ],
    };
    expect(check(document)).toEqual({ ok: true, value: document });
  });

  it('names the first bad field the way a person would write it', () => {
    const problem = (value: unknown): unknown => {
      const result = check(value);
      return result.ok ? 'accepted' : result.problem;
    };
    expect(problem({ zones: [{ id: 'z', applications: [{ id: 'a' }] }] })).toBe('zones[0].applications[0].secret is required');
    expect(problem({ zones: [{ id: 'z', app: [] }] })).toBe('zones[0].app is not a known field');
    expect(problem({ zones: [{ id: 'bad zone' }] })).toMatch(/^zones\[0\]\.id must be an id: /);
    expect(problem({ zones: [{ id: 'z', resources: [{ id: 'tools', scopes: [] }] }] })).toMatch(/^zones\[0\]\.resources\[0\]\.id must be an absolute URI/);
    expect(problem({ zones: [{ id: 'z', resources: [{ id: 'mcp://t', scopes: ['a b'] }] }] })).toMatch(/^zones\[0\]\.resources\[0\]\.scopes\[0\] must be a scope token/);
    expect(problem({ zones: [{ id: 'z', applications: [{ id: 'a', secret: 's', admin: 'yes' }] }] })).toBe('zones[0].applications[0].admin must be boolean');
    expect(problem({})).toBe('zones is required');
    expect(problem([])).toBe('the value must be object');
  });
});
