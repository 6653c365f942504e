import { CaracalError } from '../errors.ts';

/**
 * Collects every problem with a configuration so the user fixes them in one go, then raises a
 * single `CONFIG_INVALID` error that lists them all.
 * @internal
 */
export class ConfigIssues {
  readonly #issues: Array<{ setting: string; problem: string }> = [];

  add(setting: string, problem: string): void {
    this.#issues.push({ setting, problem });
  }

  get size(): number {
    return this.#issues.length;
  }

  /** Throws `CONFIG_INVALID` when any issue was recorded. */
  throwIfAny(source: string): void {
    if (this.#issues.length === 0) return;
    const lines = this.#issues.map(({ setting, problem }) => `  - ${setting}: ${problem}`);
    throw new CaracalError('CONFIG_INVALID', `Invalid Caracal configuration (${source}):\n${lines.join('\n')}`, {
      settings: this.#issues.map(({ setting }) => setting),
    });
  }
}
