import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SseParser } from '../../src/verify/revocation/sse-parser.ts';

describe('SseParser', () => {
  it('parses events with ids, names, multi-line data, comments and retry', () => {
    const parser = new SseParser();
    const events = parser.push(': connected\n\nid: 1\nevent: caracal.sessions.revoke\ndata: {"a":1}\ndata: more\n\nretry: 2000\n\ndata:plain\n\n');
    expect(events).toEqual([
      { id: '1', event: 'caracal.sessions.revoke', data: '{"a":1}\nmore' },
      { id: '1', event: 'message', data: 'plain' },
    ]);
    expect(parser.retryMs).toBe(2000);
    expect(parser.lastEventId).toBe('1');
  });

  it('handles CR, LF and CRLF line ends, also split across chunks', () => {
    const parser = new SseParser();
    expect(parser.push('data: a\r')).toEqual([]);
    expect(parser.push('\n\r\ndata: b\r\rdata: c\n')).toEqual([{ id: undefined, event: 'message', data: 'a' }, { id: undefined, event: 'message', data: 'b' }]);
    expect(parser.push('\n')).toEqual([{ id: undefined, event: 'message', data: 'c' }]);
  });

  it('gives the same events however the stream is split', () => {
    const text = 'id: x-1\ndata: {"payload":{"session_id":"s"}}\n\n: heartbeat\n\nevent: e\r\ndata: 2\r\n\r\nid: x-2\ndata: 3\n\n';
    const whole = new SseParser().push(text);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 8 }), (cuts) => {
        const points = [...new Set(cuts)].sort((left, right) => left - right);
        const parser = new SseParser();
        const events = [];
        let start = 0;
        for (const point of [...points, text.length]) {
          events.push(...parser.push(text.slice(start, point)));
          start = point;
        }
        expect(events).toEqual(whole);
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.array(fc.string()), (chunks) => {
        const parser = new SseParser();
        for (const chunk of chunks) parser.push(chunk);
      }),
    );
  });
});
