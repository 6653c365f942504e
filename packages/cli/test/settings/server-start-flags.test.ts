import { describe, expect, it } from 'vitest';
import { SETTING_DEFINITIONS } from '@caracal/server';
import { SERVER_START_FLAGS } from '../../src/settings/server-start-flags.ts';

describe('caracal server start flags', () => {
  it('are exactly the server settings table: every setting has its flag, and no flag is unknown to the reader', () => {
    const cliFlags = SERVER_START_FLAGS.map(({ flag }) => flag.split(' ')[0]);
    expect(cliFlags).toEqual(SETTING_DEFINITIONS.map((definition) => definition.flag));
  });

  it('name each setting\'s environment variable in their help', () => {
    for (const [index, definition] of SETTING_DEFINITIONS.entries()) expect(SERVER_START_FLAGS[index]!.help).toContain(definition.env);
  });
});
