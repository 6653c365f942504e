import { Pool } from 'undici';

/** One HTTP answer: status and parsed JSON body (`{}` when empty or not JSON). */
export interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/**
 * Latencies and errors of one stretch of load. Errors are counted by `operation status code`,
 * never thrown: a soak reports what went wrong instead of stopping at the first failure.
 */
export class Recorder {
  readonly latencies: number[] = [];
  readonly errors = new Map<string, number>();
  requests = 0;
  readonly startedAt = performance.now();

  record(operation: string, answer: Answer, milliseconds: number, expected: (status: number) => boolean): void {
    this.requests += 1;
    this.latencies.push(milliseconds);
    if (!expected(answer.status)) {
      const key = `${operation} ${answer.status} ${typeof answer.body.error === 'string' ? answer.body.error : ''}`.trim();
      this.errors.set(key, (this.errors.get(key) ?? 0) + 1);
    }
  }

  errorCount(): number {
    let total = 0;
    for (const count of this.errors.values()) total += count;
    return total;
  }

  /** Requests per second since the recorder was created (or `seconds` if given). */
  throughput(seconds = (performance.now() - this.startedAt) / 1000): number {
    return this.requests / seconds;
  }

  percentile(fraction: number): number {
    const sorted = [...this.latencies].sort((left, right) => left - right);
    return sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * fraction))]!;
  }

  describeErrors(): string {
    return this.errors.size === 0 ? 'none' : [...this.errors].map(([key, count]) => `${key} ×${count}`).join(', ');
  }
}

/** A keep-alive client for one server that times each request into the current recorder. */
export class BenchClient {
  private readonly pool: Pool;
  private readonly recorder: () => Recorder;
  readonly url: string;

  constructor(url: string, recorder: () => Recorder, connections = 32) {
    this.url = url;
    this.recorder = recorder;
    this.pool = new Pool(url, { connections });
  }

  /**
   * Sends one request; a network failure answers status 0 with `error: 'network'`. `expected`
   * says which statuses are not errors (2xx by default).
   */
  async call(
    operation: string,
    request: { method: 'GET' | 'POST' | 'DELETE'; path: string; token?: string; json?: unknown; form?: Record<string, string>; headers?: Record<string, string> },
    expected: (status: number) => boolean = (status) => status >= 200 && status < 300,
  ): Promise<Answer> {
    const headers: Record<string, string> = { ...request.headers };
    if (request.token !== undefined) headers.authorization = `Bearer ${request.token}`;
    let body: string | undefined;
    if (request.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(request.json);
    } else if (request.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(request.form).toString();
    }
    const begin = performance.now();
    let answer: Answer;
    try {
      const response = await this.pool.request({ method: request.method, path: request.path, headers, ...(body === undefined ? {} : { body }) });
      const text = await response.body.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        parsed = { text };
      }
      answer = { status: response.statusCode, body: parsed };
    } catch (error) {
      answer = { status: 0, body: { error: 'network', error_description: String(error) } };
    }
    this.recorder().record(operation, answer, performance.now() - begin, expected);
    return answer;
  }

  /** The server's Prometheus text, parsed to `name{labels}` → value. */
  async metrics(): Promise<Map<string, number>> {
    const values = new Map<string, number>();
    try {
      const response = await this.pool.request({ method: 'GET', path: '/metrics' });
      for (const line of (await response.body.text()).split('\n')) {
        if (line === '' || line.startsWith('#')) continue;
        const space = line.lastIndexOf(' ');
        values.set(line.slice(0, space), Number(line.slice(space + 1)));
      }
    } catch {
      // the server is down: no figures this time
    }
    return values;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Runs `iteration` in `clients` closed loops until `until()` says stop. */
export async function closedLoop(clients: number, until: () => boolean, iteration: (client: number) => Promise<void>): Promise<void> {
  await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      while (!until()) await iteration(client);
    }),
  );
}
