/**
 * `pnpm run demo`: the whole Caracal story on the embedded server, printed as a tree of who
 * called what under which authority, and what the revocation stopped. Exits non-zero on any
 * mismatch. Run in a terminal, the server then stays up with a console sign-in link until Ctrl-C.
 */
import { runStory } from './story/story.ts';
import { PARTNER_APP, TOOLS_RESOURCE, type Stack } from './story/stack.ts';

const short = (id: string | undefined): string => (id === undefined ? '—' : id.length > 22 ? `${id.slice(0, 14)}…${id.slice(-6)}` : id);
const line = (depth: number, label: string, detail = ''): void => console.log(`${'   '.repeat(depth)}${depth > 0 ? '└─ ' : ''}${label.padEnd(52 - depth * 3)} ${detail}`);
const failures: string[] = [];
const check = (ok: boolean, what: string): void => void (ok || failures.push(what));

const interactive = process.stdin.isTTY === true && process.stdout.isTTY === true;
let kept: Stack | undefined;
const story = await runStory(interactive ? { keepServer: (stack) => (kept = stack) } : {});
const { orchestrator, worker, delegated, partnerTurn } = story;
console.log('Caracal demo — embedded server (PGlite + in-process bus)\n');
line(0, 'app_orchestrator: orchestrator', `session ${short(orchestrator.agentSessionId)}  hop ${orchestrator.hop}`);
line(1, 'spawn worker (narrowed grant)', `session ${short(worker.agentSessionId)}  edge ${short(worker.delegationEdgeId)}`);
line(2, `delegate → ${PARTNER_APP}`, `edge ${short(delegated.delegationEdgeId)}  target ${short(story.partnerSessionId)}`);
line(3, 'A2A message to partner', `presents own session ${short(delegated.actingSessionId)} + edge ${short(delegated.actingEdgeId)}`);
line(4, 'partner acts under edge', `session ${short(partnerTurn.context?.agentSessionId)}  edge ${short(partnerTurn.context?.delegationEdgeId)}  hop ${partnerTurn.context?.hop}`);
for (const call of story.toolCalls) {
  line(5, `MCP ${call.tool}`, `aud ${call.claims.aud}  jti ${call.claims.jti.slice(0, 8)}  path [${call.claims.delegation_path.map(short).join(' → ')}]`);
}
line(5, 'A2A billing-agent', `→ ${partnerTurn.billingReply}`);
console.log('');
line(0, 'operator revokes the edge', `${short(story.revocation.edgeId)}: ${story.revocation.revokedEdges} edge(s), ${story.revocation.affectedSessions} session(s)`);
line(1, 'stream in progress', `cut after ${story.stream.bytes} bytes, ${story.revocation.cutAfterMs.toFixed(1)} ms after the revoke answered; X-Caracal-Revoked: ${short(story.stream.revokedTrailer)}`);
line(1, 'next call', `refused: ${story.refusal}`);

const chain = [worker.delegationEdgeId, delegated.delegationEdgeId];
check(story.toolCalls.length === 2 && new Set(story.toolCalls.map((call) => call.claims.jti)).size === 2, 'each MCP call has its own mandate');
check(story.toolCalls.every((call) => call.claims.aud === TOOLS_RESOURCE && JSON.stringify(call.claims.delegation_path) === JSON.stringify(chain)), 'MCP mandates carry the chain');
check(!story.toolAuthorizations.some((header) => header.includes(story.sessionMandates.partner) || header.includes(story.sessionMandates.orchestrator)), 'no session mandate reached the MCP server');
check(story.stream.revokedTrailer !== undefined, 'the stream was cut with X-Caracal-Revoked');
check(/401/.test(story.refusal), 'the call after the revocation was refused');
if (failures.length > 0) {
  console.error(`\n✗ demo failed: ${failures.join('; ')}`);
  process.exitCode = 1;
} else {
  console.log('\n✓ demo ok');
}

if (kept !== undefined) {
  if (process.exitCode === undefined) {
    console.log(`\nThe server stays up to look around. Open the operator console:\n  ${kept.server.url}/console/#token=${kept.operatorToken}`);
    console.log('(the link signs in as the zone\'s operator for an hour; Ctrl-C stops the server)');
    await new Promise((resolve) => process.once('SIGINT', resolve));
  }
  await kept.close();
}
