/**
 * What the transport entries (`@caracal/sdk/a2a`, `@caracal/sdk/mcp`) share: the Node.js check and
 * the module-level default client. The entry, not the transport code, resolves that client:
 * transport/ never imports it otherwise, so it stays usable and testable with an injected one.
 */

import { assertSupportedNode } from './node-version.ts';

// On an older Node.js the import fails here, with one line naming the version needed: no module
// this entry loads fails before (undici, which would, is loaded on first use).
assertSupportedNode();

export { defaultCaracal } from './default-client.ts';
