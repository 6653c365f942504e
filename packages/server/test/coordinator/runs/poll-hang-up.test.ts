import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { pollHangUp } from '../../../src/coordinator/runners/poll-hang-up.ts';

describe('pollHangUp', () => {
  it('aborts when the response closes while the poll waits', () => {
    const response = new EventEmitter();
    const hangUp = pollHangUp(response);
    response.emit('close');
    expect(hangUp.signal.aborted).toBe(true);
  });

  it('is not aborted by the close that follows an answer, and leaves no listener behind', () => {
    const response = new EventEmitter();
    const hangUp = pollHangUp(response);
    hangUp.release();
    expect(response.listenerCount('close')).toBe(0);
    response.emit('close');
    expect(hangUp.signal.aborted).toBe(false);
  });
});
