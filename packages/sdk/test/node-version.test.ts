import { describe, expect, it } from 'vitest';
import { assertSupportedNode, MIN_NODE_MAJOR, unsupportedNodeMessage } from '../src/node-version.ts';

describe('the Node.js version check of the entries', () => {
  it('matches engines.node in package.json', async () => {
    const { default: manifest } = await import('../package.json', { with: { type: 'json' } });
    expect(manifest.engines.node).toBe(`>=${MIN_NODE_MAJOR}`);
  });

  it('accepts Node.js 22 and newer', () => {
    for (const version of ['22.0.0', '22.12.1', '24.21.0', '30.1.0']) expect(unsupportedNodeMessage(version)).toBeUndefined();
    expect(() => assertSupportedNode()).not.toThrow();
  });

  it('refuses older lines with one line naming the version needed and the one running', () => {
    expect(unsupportedNodeMessage('20.20.2')).toBe('@caracal/sdk needs Node.js 22 or newer (this is Node.js 20.20.2)');
    expect(unsupportedNodeMessage('18.0.0')).toBe('@caracal/sdk needs Node.js 22 or newer (this is Node.js 18.0.0)');
    expect(unsupportedNodeMessage('not a version')).toBe('@caracal/sdk needs Node.js 22 or newer (this is Node.js not a version)');
    expect(() => assertSupportedNode('21.7.3')).toThrow(new Error('@caracal/sdk needs Node.js 22 or newer (this is Node.js 21.7.3)'));
  });
});
