import { timeline, type Caracal, type TimelineEvent, type TimelineStats } from '@caracal/sdk';
import { describe, expectTypeOf, test } from 'vitest';

declare const caracal: Caracal;

describe('timeline', () => {
  test('record() takes an event and says whether it was queued; stats() counts', () => {
    expectTypeOf(caracal.timeline.record).parameter(0).toEqualTypeOf<TimelineEvent>();
    expectTypeOf(timeline.record({ event_type: 'message' })).toEqualTypeOf<boolean>();
    expectTypeOf(caracal.timeline.stats()).toEqualTypeOf<TimelineStats>();
    // @ts-expect-error -- event_type is required
    timeline.record({ role: 'user' });
    // @ts-expect-error -- unknown fields are refused
    timeline.record({ event_type: 'x', colour: 'red' });
  });
});
