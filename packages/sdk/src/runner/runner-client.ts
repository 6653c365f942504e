import type { CompletedRunBody, FailedRunBody, HeartbeatAnswer, RegisteredRunner, RegisterRunnerBody, Run, RunnerBody, RunnerPollAnswer, UncheckedBody } from '@caracal/protocol';
import type { BearerSource, HttpClient } from '../http/http-client.ts';
import { objectBody } from '../http/http-client.ts';
import { CaracalError } from '../errors.ts';

/** How a runner reports on its run: `POST /runner/runs/{id}/<action>`. */
export type RunReport =
  | { readonly action: 'started' | 'stopped'; readonly body: RunnerBody }
  | { readonly action: 'completed'; readonly body: CompletedRunBody }
  | { readonly action: 'failed'; readonly body: FailedRunBody };

/** What a poll brought: a run to execute, runs to stop, or nothing (204). */
export type PollAnswer = { readonly run?: Run; readonly stopRuns: readonly string[] };

function invalid(what: string, status: number): CaracalError {
  return new CaracalError('INVALID_RESPONSE', `${what}: the Coordinator's answer is not a runner protocol answer.`, { status });
}

/**
 * The runner routes of the Coordinator (docs/runs.md): register, long-poll, report, heartbeat,
 * deregister. Thin: the HTTP client owns timeouts, retries and error mapping.
 * @internal
 */
export class RunnerClient {
  readonly #http: HttpClient;
  readonly #baseUrl: URL;
  readonly #bearer: BearerSource;

  constructor(options: { http: HttpClient; baseUrl: URL; bearer: BearerSource }) {
    this.#http = options.http;
    this.#baseUrl = options.baseUrl;
    this.#bearer = options.bearer;
  }

  #url(path: string, query?: Record<string, string>): URL {
    const prefix = this.#baseUrl.pathname.replace(/\/+$/, '');
    const url = new URL(`${prefix}${path}`, this.#baseUrl);
    for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, value);
    return url;
  }

  /** `POST /runner/register`: the same host, project dir and profile answer the same runner id. */
  async register(body: RegisterRunnerBody, signal?: AbortSignal): Promise<RegisteredRunner> {
    const response = await this.#http.send({ method: 'POST', url: this.#url('/runner/register'), json: body, bearer: this.#bearer, idempotent: true, signal });
    const fields: UncheckedBody<RegisteredRunner> = objectBody(response, 'POST /runner/register');
    const { runner_id, heartbeat_interval_seconds, poll_timeout_seconds } = fields;
    if (typeof runner_id !== 'string' || typeof heartbeat_interval_seconds !== 'number' || typeof poll_timeout_seconds !== 'number') {
      throw invalid('POST /runner/register', response.status);
    }
    return { runner_id, heartbeat_interval_seconds, poll_timeout_seconds };
  }

  /** `GET /runner/runs`: held open by the server up to `waitSeconds`; `claim` false asks for stop orders only. */
  async poll(runnerId: string, waitSeconds: number, options: { claim: boolean; signal?: AbortSignal }): Promise<PollAnswer> {
    const { claim, signal } = options;
    const url = this.#url('/runner/runs', { runner_id: runnerId, wait_seconds: String(waitSeconds), ...(claim ? {} : { claim: 'false' }) });
    const response = await this.#http.send({ method: 'GET', url, bearer: this.#bearer, idempotent: true, signal });
    if (response.status === 204) return { stopRuns: [] };
    const fields: UncheckedBody<RunnerPollAnswer> = objectBody(response, 'GET /runner/runs');
    const run = fields.run as Partial<Run> | undefined;
    if (run !== undefined && (typeof run?.run_id !== 'string' || typeof run.session_id !== 'string')) throw invalid('GET /runner/runs', response.status);
    const stopRuns = Array.isArray(fields.stop_runs) ? fields.stop_runs.filter((id): id is string => typeof id === 'string') : [];
    return { ...(run === undefined ? {} : { run: run as Run }), stopRuns };
  }

  /**
   * `POST /runner/runs/{id}/<action>`. Sent as idempotent: a repeated report of a move already made
   * is refused (409) and changes nothing, so a retry is safe.
   */
  async report(runId: string, report: RunReport, signal?: AbortSignal): Promise<void> {
    const url = this.#url(`/runner/runs/${encodeURIComponent(runId)}/${report.action}`);
    await this.#http.send({ method: 'POST', url, json: report.body, bearer: this.#bearer, idempotent: true, signal });
  }

  /**
   * `POST /runner/heartbeat`: resolves to the runs the Coordinator failed while it took this runner
   * for lost (none from a server that does not say).
   */
  async heartbeat(runnerId: string, signal?: AbortSignal): Promise<readonly string[]> {
    const body: RunnerBody = { runner_id: runnerId };
    const response = await this.#http.send({ method: 'POST', url: this.#url('/runner/heartbeat'), json: body, bearer: this.#bearer, idempotent: true, signal });
    const fields: UncheckedBody<HeartbeatAnswer> = objectBody(response, 'POST /runner/heartbeat');
    return Array.isArray(fields.lost_runs) ? fields.lost_runs.filter((id): id is string => typeof id === 'string') : [];
  }

  /** `DELETE /runners/{id}`: the server releases what the runner still holds, as on a lapse. */
  async deregister(runnerId: string, signal?: AbortSignal): Promise<void> {
    await this.#http.send({ method: 'DELETE', url: this.#url(`/runners/${encodeURIComponent(runnerId)}`), bearer: this.#bearer, idempotent: true, signal });
  }
}
