/** Kill switch: an operator revokes a delegation mid-flight; the stream is cut and the next call refused. */
import { runStory } from '../demo/story/story.ts';

const story = await runStory();
console.log(`revoked   ${story.revocation.edgeId} (${story.revocation.revokedEdges} edge, ${story.revocation.affectedSessions} session)`);
console.log(`stream    cut after ${story.stream.bytes} bytes, ${story.revocation.cutAfterMs.toFixed(1)} ms after the revoke answered (X-Caracal-Revoked: ${story.stream.revokedTrailer ?? 'missing'})`);
console.log(`next call refused: ${story.refusal}`);
if (story.stream.revokedTrailer === undefined || !/401/.test(story.refusal)) {
  console.error('✗ kill-switch failed: the revocation did not stop the delegated agent');
  process.exitCode = 1;
} else {
  console.log('✓ kill-switch ok');
}
