import type { Command } from 'commander';
import { createCommandContext } from '../../src/command-context.ts';
import { buildProgram } from '../../src/program.ts';
import { fakeIo } from './fake-io.ts';

/** One command of the `caracal` tree: the words that reach it (`[]` is the root) and its arguments. */
export interface CommandPath {
  path: string[];
  /** Names of the required arguments, in order (`session`, `edge`, …). */
  requiredArguments: string[];
  /** True for a command with subcommands of its own (`agent`, `delegation`, …). */
  group: boolean;
}

/**
 * Every command of the program as commander holds it, root first: usage tests walk this instead
 * of a hand-kept list, so a command added to program.ts is covered without editing them.
 */
export function commandPaths(): CommandPath[] {
  const describe = (command: Command): Omit<CommandPath, 'path'> => ({
    requiredArguments: command.registeredArguments.filter((argument) => argument.required).map((argument) => argument.name()),
    group: command.commands.length > 0,
  });
  const walk = (command: Command, path: string[]): CommandPath[] => [
    { ...describe(command), path },
    ...command.commands.flatMap((child) => [
      ...walk(child, [...path, child.name()]),
      // An alias (`agent children` for `agent tree`) reaches the same command under another word.
      ...child.aliases().map((alias) => ({ ...describe(child), path: [...path, alias] })),
    ]),
  ];
  return walk(buildProgram(createCommandContext(fakeIo())), []);
}
