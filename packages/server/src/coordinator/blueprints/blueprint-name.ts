import { BLUEPRINT_NAME_MAX_LENGTH, BLUEPRINT_NAME_PATTERN } from '@caracal/protocol';
import { badRequest } from '../../http/server-error.ts';

const NAME = new RegExp(BLUEPRINT_NAME_PATTERN);

/** True for a name that is a single safe path segment: never `..`, a slash or anything encoded. */
export function isBlueprintName(value: string): boolean {
  return value.length <= BLUEPRINT_NAME_MAX_LENGTH && NAME.test(value);
}

/**
 * Checked again wherever a name becomes a path, whatever validated it before: a route's schema is
 * one check, and a name that reached the disk code without it must still not leave the agents dir.
 */
export function assertBlueprintName(value: string): void {
  if (!isBlueprintName(value)) {
    throw badRequest(`a blueprint name is letters, digits, _ and - (starting with a letter or digit), at most ${BLUEPRINT_NAME_MAX_LENGTH} characters`);
  }
}
