import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { ResourceId, Scope, SCOPE_MAX_LENGTH } from '../src/index.ts';

describe('primitives', () => {
  it('accepts a scope of the longest allowed length and refuses one character more', () => {
    const scope = Compile(Scope);
    expect(scope.Check('s'.repeat(SCOPE_MAX_LENGTH))).toBe(true);
    expect(scope.Check('s'.repeat(SCOPE_MAX_LENGTH + 1))).toBe(false);
    expect(scope.Check('tools call')).toBe(false);
  });

  it('takes a resource only as an absolute URI without a fragment', () => {
    const resource = Compile(ResourceId);
    expect(resource.Check('mcp://tools.local')).toBe(true);
    expect(resource.Check('https://api.example.com/v1')).toBe(true);
    expect(resource.Check('tools.local')).toBe(false);
    expect(resource.Check('mcp://tools.local#frag')).toBe(false);
  });
});
