import { describe, expect, it } from 'vitest';
import { StatementNames } from '../../src/db/statement-names.ts';

describe('StatementNames', () => {
  it('names a text by its SHA-256, the same in every instance', () => {
    const name = new StatementNames().nameOf('SELECT 1');
    expect(name).toMatch(/^q_[A-Za-z0-9_-]{24}$/);
    expect(new StatementNames().nameOf('SELECT 1')).toBe(name);
  });

  it('gives a text assembled from pieces each call the name of the same text written whole', () => {
    const names = new StatementNames();
    const whole = `SELECT * FROM runs WHERE id = $1 AND ${'status <> $2 AND '.repeat(200)}true`;
    const first = names.nameOf(whole);
    for (let call = 0; call < 3; call += 1) {
      let assembled = 'SELECT * FROM runs WHERE id = $1 AND ';
      for (let index = 0; index < 200; index += 1) assembled += `status <> $${2} AND `;
      expect(names.nameOf(`${assembled}true`)).toBe(first);
    }
  });

  it('keeps texts of the same length apart', () => {
    const names = new StatementNames();
    const texts = ['SELECT $1::int', 'SELECT $1::oid', 'SELECT $2::int'];
    const named = texts.map((text) => names.nameOf(text));
    expect(new Set(named).size).toBe(3);
    expect(texts.map((text) => names.nameOf(text))).toEqual(named);
    expect(named).toEqual(texts.map((text) => new StatementNames().nameOf(text)));
  });
});
