import type { Command } from 'commander';

/** `--json`, the flag of every client command; the only one of those whose zone is the token's (`run`, `runner`, `blueprint`, `session`). */
export interface JsonOptions {
  json?: boolean;
}

/** Adds `--json`; `help` says what it prints (default: lists as an array, instead of a table). */
export function withJsonOption(command: Command, help = 'print JSON (lists print an array) instead of a table'): Command {
  return command.option('--json', help);
}
