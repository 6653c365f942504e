/** Shown after every command's help, so the exit codes are documented wherever someone looks. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  success
  1  the server refused the request or failed, or could not be reached
  2  usage error: unknown command or flag, missing or malformed argument
  3  configuration error: a required setting or package is missing or invalid, or Node.js is older than 22`;

/** Shown after the top-level help. */
export const ENVIRONMENT_HELP = `
Environment:
  CARACAL_COORDINATOR_URL    base URL of the Coordinator, e.g. http://localhost:4000
  CARACAL_COORDINATOR_TOKEN  operator mandate for agent/delegation commands, or any
                             agent:lifecycle mandate for session commands
                             (export CARACAL_COORDINATOR_TOKEN=$(caracal token --zone <zone>))
  CARACAL_ZONE_ID            default for --zone (else the token's zone_id claim)
  CARACAL_ADMIN_TOKEN        admin API bearer for zone, app, resource, token and server start
  NO_COLOR                   set to disable colour (colour is only used on a terminal anyway)`;
