import { expect } from 'vitest';

/**
 * A client mistake as the wire answers it: a 4xx whose body is exactly
 * `{ error, error_description }` (a snake_case code and a non-empty sentence; docs/errors.md).
 */
export function expectClientError(answer: { status: number; body: unknown }, label?: string): void {
  expect(answer.status, label).toBeGreaterThanOrEqual(400);
  expect(answer.status, label).toBeLessThan(500);
  expect(answer.body, label).toStrictEqual({ error: expect.stringMatching(/^[a-z][a-z_]*$/), error_description: expect.stringMatching(/\S/) });
}
