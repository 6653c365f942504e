/** Where a held run's checks find the report's values: placeholders, or a group's input columns. */
export interface HeldRunSlots {
  run: string;
  runner: string;
  zone: string;
  /** boolean */
  admin: string;
  client: string;
}

/**
 * The checks of a runner's report on the run it holds, as the WHERE of the run's update (`$10` the
 * states the move may leave): the run is `run`, of a state the move may leave, held by `runner`,
 * which is the caller's (of its zone, and its application unless an admin calls) and serves the
 * run's zone (and its application, unless it serves the zone). `from` joins a group's input.
 */
export function heldRunChecks(slots: HeldRunSlots, from = ''): string {
  return `${from}WHERE id = ${slots.run} AND status = ANY ($10::text[]) AND runner_id = ${slots.runner}
    AND EXISTS (SELECT 1 FROM runners n WHERE n.id = ${slots.runner} AND n.zone_id = ${slots.zone} AND (${slots.admin} OR n.application_id = ${slots.client})
      AND n.zone_id = runs.zone_id AND (n.serves_zone OR n.application_id = runs.application_id))`;
}
