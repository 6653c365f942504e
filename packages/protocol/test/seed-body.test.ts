import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { describe, expect, it } from 'vitest';
import { BeginBody, BeginFields, ExchangeBody, ExchangeFields, SeedBody, withoutSeedNulls } from '../src/index.ts';

describe('seed bodies: null stands for an absent optional field', () => {
  it('accepts the documented literal /v1/begin body and reads its nulls as absent', () => {
    const literal = { zone_id: 'zone_a', application_id: 'app_a', session_sid: 'sid', parent_id: null, capabilities: [], ttl_seconds: null };
    expect(Compile(BeginBody).Check(literal)).toBe(true);
    expect(Compile(BeginFields).Check(literal)).toBe(false);
    const read = withoutSeedNulls(BeginFields, literal);
    expect(read).toEqual({ zone_id: 'zone_a', application_id: 'app_a', session_sid: 'sid', capabilities: [] });
    expect(Compile(BeginFields).Check(read)).toBe(true);
  });

  it('reaches nested objects of the body, never free-form data, and keeps required fields required', () => {
    const body = { source_session_id: 'agentsess_0000000000aaaaaaaaaaaaaaaa', target_session_id: 'agentsess_0000000000bbbbbbbbbbbbbbbb', scopes: ['a:b'], constraints_json: { budget: null, max_hops: 2 } };
    expect(Compile(ExchangeBody).Check(body)).toBe(true);
    expect(withoutSeedNulls(ExchangeFields, body).constraints_json).toEqual({ max_hops: 2 });
    expect(Compile(ExchangeBody).Check({ ...body, scopes: null })).toBe(false);
    const withData = withoutSeedNulls(BeginFields, { metadata: { note: null }, grant: { mode: 'narrow', scopes: ['a:b'], resource_id: null } });
    expect(withData).toEqual({ metadata: { note: null }, grant: { mode: 'narrow', scopes: ['a:b'] } });
  });

  it('leaves a schema without optional fields as strict as it was', () => {
    const strict = Type.Object({ id: Type.String() }, { additionalProperties: false });
    const seed = Compile(SeedBody(strict));
    expect(seed.Check({ id: 'x' })).toBe(true);
    expect(seed.Check({ id: null })).toBe(false);
    expect(seed.Check({ id: 'x', other: null })).toBe(false);
  });
});
