import type { Run as WireRun } from '@caracal/protocol';
import { expectTypeOf, it } from 'vitest';
import type { Run } from '../../src/runner/index.ts';

// The public Run is written out (the published declarations cannot reference the schema library);
// the package typecheck fails here the moment it and the protocol's schema differ.
it("Run is exactly the protocol's Run", () => {
  expectTypeOf<Run>().toEqualTypeOf<WireRun>();
});
