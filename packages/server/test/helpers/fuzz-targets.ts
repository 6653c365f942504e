/** The live records of a zone that both fuzz suites aim their requests at, and the mandates to reach them. */
export interface FuzzTargets {
  zoneId: string;
  token: string;
  /** An operator mandate of the zone (`caracal:admin`): blueprints are written with one. */
  operatorToken: string;
  /** A blueprint of the zone. */
  blueprint: string;
  session: string;
  peer: string;
  edge: string;
  invocation: string;
  service: string;
  /** A pending run, and a runner that does not hold it (its polls never claim). */
  run: string;
  runner: string;
}
