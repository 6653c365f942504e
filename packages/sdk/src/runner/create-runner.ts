import { hostname } from 'node:os';
import type { RegisterRunnerBody, Run } from '@caracal/protocol';
import { clientInternals, type ClientInternals } from '../client-internals.ts';
import { CaracalError, isCaracalError } from '../errors.ts';
import { HttpClient } from '../http/http-client.ts';
import { backoffDelay } from '../retry/backoff.ts';
import { executeRun } from './execute-run.ts';
import { RunnerClient, type PollAnswer, type RunReport } from './runner-client.ts';
import type { RunnerErrorEvent, RunnerOptions } from './runner-options.ts';

/**
 * A registered runner, polling for work until closed.
 * @since 0.1.0
 */
export interface Runner {
  /** The id the Coordinator gave it (the same after a re-registration). */
  readonly runnerId: string;
  /** Runs it is executing now. */
  readonly activeRuns: number;
  /**
   * Stops polling, aborts the runs still under way (reported `failed`), waits for their reports,
   * then deregisters. Idempotent.
   */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Errors that say the Coordinator may answer again soon: back off and try again. */
function isTransient(error: unknown): boolean {
  if (!isCaracalError(error)) return false;
  return ['NETWORK_ERROR', 'REQUEST_TIMEOUT', 'SERVER_ERROR', 'RATE_LIMITED'].includes(error.code);
}

function checkOptions(options: RunnerOptions): ClientInternals {
  if (typeof options !== 'object' || options === null) throw new CaracalError('INVALID_ARGUMENT', 'createRunner() takes { caracal, execute, … }.');
  const internals = typeof options.caracal === 'object' && options.caracal !== null ? clientInternals(options.caracal) : undefined;
  if (internals === undefined) throw new CaracalError('INVALID_ARGUMENT', 'createRunner(): caracal must be a Caracal client of this SDK.', { setting: 'caracal' });
  if (typeof options.execute !== 'function') throw new CaracalError('INVALID_ARGUMENT', 'createRunner(): execute must be a function (run, { signal, context }) => result.', { setting: 'execute' });
  const wait = options.pollWaitSeconds;
  if (wait !== undefined && !(Number.isInteger(wait) && wait >= 0 && wait <= 999)) {
    throw new CaracalError('INVALID_ARGUMENT', 'createRunner(): pollWaitSeconds must be an integer from 0 to 999.', { setting: 'pollWaitSeconds' });
  }
  const cap = options.maxConcurrentRuns;
  if (cap !== undefined && !(Number.isInteger(cap) && cap >= 1)) {
    throw new CaracalError('INVALID_ARGUMENT', 'createRunner(): maxConcurrentRuns must be a whole number of at least 1.', { setting: 'maxConcurrentRuns' });
  }
  if (options.sessionStatus !== undefined && options.sessionStatus !== 'finished' && options.sessionStatus !== 'idle') {
    throw new CaracalError('INVALID_ARGUMENT', "createRunner(): sessionStatus must be 'finished' or 'idle'.", { setting: 'sessionStatus' });
  }
  return internals;
}

function registration(options: RunnerOptions): RegisterRunnerBody {
  return {
    hostname: options.hostname ?? hostname(),
    project_dir: options.projectDir ?? process.cwd(),
    executor_profile: options.executorProfile ?? 'default',
    executor: { type: options.executor?.type ?? 'caracal-sdk', command: options.executor?.command ?? null },
    ...(options.tags === undefined ? {} : { tags: [...options.tags] }),
    ...(options.blueprints === undefined ? {} : { blueprints: [...options.blueprints] }),
  };
}

/** One run under way: aborting its controller is how a stop order or a close reaches `execute`. */
interface ActiveRun {
  readonly controller: AbortController;
  done: Promise<void>;
  /** The Coordinator already failed it (it took this runner for lost): nothing is reported for it. */
  letGo: boolean;
}

/** The runner's loops: poll, heartbeat, and one execution per claimed run. */
class RunnerLoop implements Runner {
  readonly #options: RunnerOptions;
  readonly #internals: ClientInternals;
  readonly #http: HttpClient;
  readonly #pollHttp: HttpClient;
  readonly #client: RunnerClient;
  readonly #pollClient: RunnerClient;
  readonly #body: RegisterRunnerBody;
  readonly #closing = new AbortController();
  readonly #active = new Map<string, ActiveRun>();
  #runnerId = '';
  #waitSeconds = 30;
  #heartbeat: ReturnType<typeof setInterval> | undefined;
  /** Cuts short a poll made at the cap (stop orders only) once a run ends, so the next one takes work. */
  #capPollCut: AbortController | undefined;
  #loop: Promise<void> = Promise.resolve();
  #closed: Promise<void> | undefined;

  constructor(options: RunnerOptions, internals: ClientInternals) {
    this.#options = options;
    this.#internals = internals;
    const { config, sessionToken } = internals;
    this.#body = registration(options);
    this.#http = new HttpClient({ dispatcher: config.dispatcher, timeoutMs: config.timeoutMs, retry: config.retry, clock: config.clock });
    // Polls are held open by the server: a longer timeout, and no retries of their own (the poll
    // loop backs off and registers again instead).
    const pollTimeoutMs = config.timeoutMs + 1000 * Math.max(options.pollWaitSeconds ?? 30, 30);
    this.#pollHttp = new HttpClient({ dispatcher: config.dispatcher, timeoutMs: pollTimeoutMs, retry: { ...config.retry, retries: 0 }, clock: config.clock });
    const baseUrl = config.coordinatorUrl;
    this.#client = new RunnerClient({ http: this.#http, baseUrl, bearer: sessionToken });
    this.#pollClient = new RunnerClient({ http: this.#pollHttp, baseUrl, bearer: sessionToken });
  }

  get runnerId(): string {
    return this.#runnerId;
  }

  get activeRuns(): number {
    return this.#active.size;
  }

  #notify(event: RunnerErrorEvent): void {
    try {
      this.#options.onError?.(event);
    } catch {
      // An observer's own failure never stops the runner.
    }
  }

  async register(): Promise<void> {
    const registered = await this.#client.register(this.#body, this.#closing.signal);
    // A new id means the Coordinator forgot the runner (removed, or a fresh database): removing a
    // runner releases its runs, so none under way is this runner's any more.
    if (this.#runnerId !== '' && registered.runner_id !== this.#runnerId) {
      for (const runId of [...this.#active.keys()]) this.#letGo(runId, 'its runner was removed');
    }
    this.#runnerId = registered.runner_id;
    const cap = registered.poll_timeout_seconds;
    this.#waitSeconds = Math.max(0, Math.min(this.#options.pollWaitSeconds ?? cap, cap));
    this.#startHeartbeat(registered.heartbeat_interval_seconds);
  }

  start(): void {
    this.#loop = this.#pollLoop();
  }

  #startHeartbeat(intervalSeconds: number): void {
    clearInterval(this.#heartbeat);
    const every = Math.max(1, intervalSeconds) * 1000;
    this.#heartbeat = setInterval(() => {
      this.#client.heartbeat(this.#runnerId, this.#closing.signal).then(
        (lostRuns) => {
          for (const runId of lostRuns) this.#letGo(runId, 'the Coordinator took its runner for lost');
        },
        (error: unknown) => {
          if (!this.#closing.signal.aborted) this.#notify({ step: 'heartbeat', error });
        },
      );
    }, every);
    // Polls and runs keep the process alive; the heartbeat alone must not.
    this.#heartbeat.unref?.();
  }

  async #pollLoop(): Promise<void> {
    const { config } = this.#internals;
    let failures = 0;
    let registered = true;
    while (!this.#closing.signal.aborted) {
      try {
        // After any failure register again: it answers the same id, and it recreates a runner the
        // Coordinator forgot (deleted, or a fresh database behind it).
        if (!registered) await this.register();
        registered = true;
        const answer = await this.#poll();
        failures = 0;
        if (answer === undefined) continue;
        for (const runId of answer.stopRuns) this.#stop(runId);
        if (answer.run !== undefined) this.#begin(answer.run);
      } catch (error) {
        if (this.#closing.signal.aborted) break;
        this.#notify({ step: registered ? 'poll' : 'register', error });
        registered = false;
        failures += 1;
        await config.clock.sleep(backoffDelay(failures, config.retry, Math.random), this.#closing.signal).catch(() => undefined);
      }
    }
  }

  /**
   * One poll. Below the cap it may bring a run; at the cap it asks for stop orders only, and
   * resolves undefined when a run ending cut it short.
   */
  async #poll(): Promise<PollAnswer | undefined> {
    const claim = this.#active.size < (this.#options.maxConcurrentRuns ?? Infinity);
    if (claim) return this.#pollClient.poll(this.#runnerId, this.#waitSeconds, { claim, signal: this.#closing.signal });
    const cut = new AbortController();
    this.#capPollCut = cut;
    try {
      return await this.#pollClient.poll(this.#runnerId, this.#waitSeconds, { claim, signal: AbortSignal.any([this.#closing.signal, cut.signal]) });
    } catch (error) {
      if (cut.signal.aborted && !this.#closing.signal.aborted) return undefined;
      throw error;
    } finally {
      this.#capPollCut = undefined;
    }
  }

  /** A stop order: abort the run's signal; a run this runner no longer executes is reported stopped at once. */
  #stop(runId: string): void {
    const active = this.#active.get(runId);
    if (active !== undefined) {
      active.controller.abort(new CaracalError('RUN_STOPPED', `Run ${runId} was stopped.`));
      return;
    }
    void this.report(runId, { action: 'stopped', body: { runner_id: this.#runnerId } });
  }

  /**
   * A run the Coordinator failed without a stop order, because it took this runner for lost
   * (its heartbeat lapsed, a restart recovered the run, the runner was removed): abort `execute`
   * and report nothing, since the run is already over at the server.
   */
  #letGo(runId: string, why: string): void {
    const active = this.#active.get(runId);
    if (active === undefined || active.letGo) return;
    active.letGo = true;
    active.controller.abort(new CaracalError('RUN_STOPPED', `Run ${runId} was failed by the Coordinator: ${why}.`));
  }

  #begin(run: Run): void {
    if (this.#active.has(run.run_id)) return;
    const active: ActiveRun = { controller: new AbortController(), done: Promise.resolve(), letGo: false };
    this.#active.set(run.run_id, active);
    active.done = executeRun(this, run, active.controller.signal).finally(() => {
      this.#active.delete(run.run_id);
      this.#capPollCut?.abort();
    });
  }

  /** What `executeRun` needs of its runner. */
  get settings() {
    return { options: this.#options, internals: this.#internals, runnerId: this.#runnerId };
  }

  /**
   * Sends a run's report, retrying while the Coordinator is unreachable (a restart) until it
   * answers or the runner closes. A refusal (the run moved on without us: stopped, taken back) is
   * final; a run let go of is not reported at all. Resolves true when the report was taken.
   */
  async report(runId: string, report: RunReport): Promise<boolean> {
    const { config } = this.#internals;
    if (this.#active.get(runId)?.letGo === true) return false;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#client.report(runId, report);
        return true;
      } catch (error) {
        if (!isTransient(error) || this.#closing.signal.aborted) {
          this.#notify({ step: 'report', error, runId });
          return false;
        }
        await config.clock.sleep(backoffDelay(attempt, config.retry, Math.random), this.#closing.signal).catch(() => undefined);
      }
    }
  }

  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    this.#closing.abort(new CaracalError('RUNNER_CLOSED', 'The runner is closing.'));
    clearInterval(this.#heartbeat);
    const runs = [...this.#active.values()];
    for (const run of runs) run.controller.abort(new CaracalError('RUNNER_CLOSED', 'The runner closed while the run was under way.'));
    await Promise.allSettled([this.#loop, ...runs.map((run) => run.done)]);
    try {
      if (this.#runnerId !== '') await this.#client.deregister(this.#runnerId);
    } catch (error) {
      this.#notify({ step: 'deregister', error });
    }
    await Promise.allSettled([this.#http.close(), this.#pollHttp.close()]);
  }

  [Symbol.asyncDispose](): Promise<void> {
    return this.close();
  }
}

/** @internal What executeRun uses of the runner. */
export type RunnerHost = Pick<RunnerLoop, 'settings' | 'report'>;

/**
 * Registers a runner with the Coordinator and starts it: it long-polls for runs, executes each
 * with `execute(run, { signal, context })` inside the run's Caracal session context (so the MCP
 * and A2A transports exchange a mandate per call under that session), and reports `started`,
 * then `completed` with the result, `failed`, or `stopped` after a stop order aborted `signal`.
 * It heartbeats, and when the Coordinator goes away (a restart) it backs off and registers again
 * with the same id. docs/runs.md, "Runners in the SDK".
 * @throws CaracalError `INVALID_ARGUMENT` for bad options; the registration's own error (`FORBIDDEN`
 * without `agent:lifecycle`, `NETWORK_ERROR`, …) when the first registration fails.
 * @example
 * const runner = await createRunner({
 *   caracal,
 *   blueprints: ['researcher'],
 *   execute: async (run, { signal }) => (signal.aborted ? undefined : agent.run(String(run.parameters.prompt))),
 * });
 * await runner.close();
 * @since 0.1.0
 */
export async function createRunner(options: RunnerOptions): Promise<Runner> {
  const internals = checkOptions(options);
  const runner = new RunnerLoop(options, internals);
  try {
    await runner.register();
  } catch (error) {
    await runner.close().catch(() => undefined);
    throw error;
  }
  runner.start();
  return runner;
}
