/** Redis-style stream ids: `<milliseconds>-<sequence>`. */
const STREAM_ID_PATTERN = /^\d{1,20}-\d{1,20}$/;

/** True for a complete stream id such as `1731000000000-0`. */
export function isStreamId(value: string): boolean {
  return STREAM_ID_PATTERN.test(value);
}

/** Orders stream ids; exact for any id Redis produces (BigInt avoids float rounding). */
export function compareStreamIds(left: string, right: string): number {
  const [leftMs = '0', leftSeq = '0'] = left.split('-');
  const [rightMs = '0', rightSeq = '0'] = right.split('-');
  const byMs = compareDecimal(leftMs, rightMs);
  return byMs !== 0 ? byMs : compareDecimal(leftSeq, rightSeq);
}

function compareDecimal(left: string, right: string): number {
  const difference = BigInt(left) - BigInt(right);
  return difference === 0n ? 0 : difference < 0n ? -1 : 1;
}
