import type { PostEventBody } from '@caracal/protocol';
import { expectTypeOf, it } from 'vitest';
import type { TimelineEvent } from '../../src/index.ts';

// The public TimelineEvent is written out (the published declarations cannot reference the schema
// library); the package typecheck fails here the moment it and the protocol's schema differ.
it('TimelineEvent is exactly the protocol\'s PostEventBody', () => {
  expectTypeOf<TimelineEvent>().toEqualTypeOf<PostEventBody>();
});
