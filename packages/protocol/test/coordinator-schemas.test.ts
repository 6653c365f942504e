import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { CreateDelegationBody, Labels, SCOPE_MAX_LENGTH, SpawnSessionBody } from '../src/index.ts';

describe('coordinator schemas', () => {
  it('holds every label to the limits, a key with a line break included', () => {
    const labels = Compile(Labels);
    expect(labels.Check({ team: 'a', ['k'.repeat(128)]: 'v'.repeat(512) })).toBe(true);
    expect(labels.Check({ ['k'.repeat(129)]: 'v' })).toBe(false);
    expect(labels.Check({ team: 'v'.repeat(513) })).toBe(false);
    expect(labels.Check({ 'a\nb': 5 })).toBe(false);
  });

  it('takes a spawn grant as a bare mode or an object, and nothing else', () => {
    const spawn = Compile(SpawnSessionBody);
    expect(spawn.Check({})).toBe(true);
    expect(spawn.Check({ grant: 'none' })).toBe(true);
    expect(spawn.Check({ grant: { mode: 'narrow', scopes: ['tools:call'], resource_id: 'mcp://tools.local' } })).toBe(true);
    expect(spawn.Check({ grant: 'narrow' })).toBe(false);
    expect(spawn.Check({ grant: { mode: 'narrow', extra: true } })).toBe(false);
    expect(spawn.Check({ unknown: 1 })).toBe(false);
  });

  it('asks an edge for at least one scope, each of the longest allowed length at most', () => {
    const edge = Compile(CreateDelegationBody);
    const ids = { source_session_id: `agentsess_${'0'.repeat(26)}`, target_session_id: `agentsess_${'1'.repeat(26)}` };
    expect(edge.Check({ ...ids, scopes: ['s'.repeat(SCOPE_MAX_LENGTH)] })).toBe(true);
    expect(edge.Check({ ...ids, scopes: ['s'.repeat(SCOPE_MAX_LENGTH + 1)] })).toBe(false);
    expect(edge.Check({ ...ids, scopes: [] })).toBe(false);
    expect(edge.Check({ ...ids, scopes: ['a', 'a'] })).toBe(false);
  });
});
