import { describe, expect, it } from 'vitest';
import { CaracalError, isCaracalError } from '../src/index.ts';

describe('CaracalError', () => {
  it('carries code, typed details and cause', () => {
    const cause = new Error('socket hang up');
    const error = new CaracalError('SERVER_ERROR', 'boom', { status: 503, serverCode: 'unavailable', requestId: 'req_1', retryAfterMs: 1000, attempt: 2, cause });
    expect(error).toMatchObject({ name: 'CaracalError', code: 'SERVER_ERROR', status: 503, serverCode: 'unavailable', requestId: 'req_1', retryAfterMs: 1000, attempt: 2 });
    expect(error.cause).toBe(cause);
    expect(error).toBeInstanceOf(Error);
  });

  it('lists configuration settings, the first as setting', () => {
    const error = new CaracalError('CONFIG_INVALID', 'bad', { settings: ['zoneId', 'clientId'] });
    expect(error.setting).toBe('zoneId');
    expect(Object.isFrozen(error.settings)).toBe(true);
  });

  it('is recognised by its brand, also from another copy of the SDK', () => {
    const fromOtherCopy = Object.assign(new Error('x'), { code: 'NO_ACTIVE_CONTEXT', [Symbol.for('caracal.error')]: true });
    expect(isCaracalError(fromOtherCopy)).toBe(true);
    expect(fromOtherCopy instanceof CaracalError).toBe(true);
    expect(isCaracalError(new Error('plain'))).toBe(false);
    expect(isCaracalError(undefined)).toBe(false);
  });
});
