/**
 * A `fetch` for the admin client built on undici's `request`, as the CLI's other calls are: the
 * web `fetch` refuses the ports the Fetch standard calls "bad" (1, 6000, 6665…), where an
 * operator's server may well listen, and loading undici only on the first request keeps `--help`
 * fast. Only what the admin client uses: method, headers, a string body, a signal.
 */
export const undiciFetch: typeof fetch = async (input, init = {}) => {
  const { request } = await import('undici');
  const headers = { ...(init.headers as Record<string, string> | undefined), 'user-agent': 'caracal-cli' };
  const answer = await request(String(input), {
    method: (init.method ?? 'GET') as 'GET',
    headers,
    body: typeof init.body === 'string' ? init.body : undefined,
    signal: init.signal ?? undefined,
  });
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(answer.headers)) {
    if (value === undefined) continue;
    for (const one of Array.isArray(value) ? value : [value]) responseHeaders.append(name, one);
  }
  const text = await answer.body.text();
  return new Response(answer.statusCode === 204 || answer.statusCode === 304 ? null : text, { status: answer.statusCode, headers: responseHeaders });
};
