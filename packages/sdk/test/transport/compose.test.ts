import { describe, expect, it } from 'vitest';
import { isCaracalError } from '../../src/errors.ts';
import { compose } from '../../src/transport/compose.ts';
import type { Dispatch, DispatchRequest, Interceptor } from '../../src/transport/dispatch.ts';

const request: DispatchRequest = { url: 'http://127.0.0.1/', method: 'GET', headers: {}, body: undefined, signal: undefined };

function tag(name: string, trail: string[]): Interceptor {
  return (next) => async (incoming) => {
    trail.push(`${name}>`);
    const response = await next({ ...incoming, headers: { ...incoming.headers, [name]: '1' } });
    trail.push(`<${name}`);
    return response;
  };
}

describe('compose', () => {
  it('runs interceptors in the order listed, outermost first', async () => {
    const trail: string[] = [];
    let seen: DispatchRequest | undefined;
    const innermost: Dispatch = async (incoming) => {
      seen = incoming;
      trail.push('send');
      return new Response('ok');
    };
    const response = await compose(tag('a', trail), tag('b', trail), tag('c', trail))(innermost)(request);
    expect(await response.text()).toBe('ok');
    expect(trail).toEqual(['a>', 'b>', 'c>', 'send', '<c', '<b', '<a']);
    expect(seen?.headers).toEqual({ a: '1', b: '1', c: '1' });
    expect(request.headers).toEqual({});
  });

  it('with no interceptors is the innermost dispatch itself', () => {
    const innermost: Dispatch = async () => new Response();
    expect(compose()(innermost)).toBe(innermost);
  });

  it('rejects a non-function interceptor when composing', () => {
    const error: unknown = (() => {
      try {
        compose(tag('a', []), 'retry' as never);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(isCaracalError(error) && error.code).toBe('INVALID_ARGUMENT');
    expect(String((error as Error).message)).toMatch(/argument 1 is a string/);
  });

  it('rejects a dispatch passed where an interceptor belongs, without an unhandled rejection', () => {
    const dispatchByMistake = (async () => {
      throw new Error('called with a function instead of a request');
    }) as unknown as Interceptor;
    expect(() => compose(dispatchByMistake)(async () => new Response())).toThrow(/returned a promise/);
  });

  it('rejects a missing innermost dispatch', () => {
    expect(() => compose(tag('a', []))(undefined as never)).toThrow(/innermost dispatch/);
  });
});
