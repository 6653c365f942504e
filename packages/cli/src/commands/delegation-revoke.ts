import type { Command } from 'commander';
import type { CommandContext } from '../command-context.ts';
import { coordinatorFor, withOperatorOptions, type OperatorOptions } from './operator-options.ts';
import { delegationEdgeArgument } from '../id-arguments.ts';

/**
 * `caracal delegation revoke <edge> [--dry-run]`: cascading revocation; prints the counts exactly as
 * docs/cli.md shows. `--dry-run` prints what it would revoke and terminate, changing nothing.
 */
export function registerDelegationRevoke(delegation: Command, context: CommandContext): void {
  withOperatorOptions(
    delegation.command('revoke').description('Revoke a delegation edge and all edges that depend on it').argument('<edge>', 'delegation edge id (deledge_…)', delegationEdgeArgument),
  )
    .option('--dry-run', 'print what the revocation would change (edges, sessions), and change nothing')
    .addHelpText(
      'after',
      '\nOutput: {"revoked_edges": n, "affected_sessions": m}\nMandates issued before revocation stay valid until they expire (at most 15 minutes).',
    )
    .action(async (edgeId: string, options: OperatorOptions & { dryRun?: boolean }) => {
      const client = coordinatorFor(context, options);
      if (options.dryRun === true) {
        const impact = await context.progress(`computing what revoking ${edgeId} would change…`, () => client.revokeImpact(edgeId));
        if (options.json === true) {
          context.output.json(impact);
          return;
        }
        context.output.line(`dry run: nothing was changed. Revoking ${edgeId} would revoke ${impact.revoked_edges} edges and terminate ${impact.affected_sessions} sessions.`);
        context.output.line(`edges: ${impact.edge_ids.join(' ') || '-'}`);
        context.output.line(`sessions: ${impact.session_ids.join(' ') || '-'}`);
        if (impact.truncated === true) context.output.line('(lists cut at 1000 ids; the counts are exact)');
        return;
      }
      const result = await context.progress(`revoking ${edgeId}…`, () => client.revokeDelegation(edgeId));
      if (options.json === true) context.output.json(result);
      else context.output.line(`{"revoked_edges": ${result.revoked_edges}, "affected_sessions": ${result.affected_sessions}}`);
    });
}
