import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

/** One answer; status 0 is a network failure (refused, reset: the replica died mid-request). */
export interface ChaosAnswer {
  status: number;
  body: Record<string, unknown>;
}

/** What the load saw, for the invariants and the closing counts. */
export interface ChaosLedger {
  requests: number;
  successes: number;
  /** Requests answered 5xx or not at all (status 0), then retried. */
  retriedFailures: number;
  byStatus: Map<string, number>;
  /** Keyed spawns sent again with their key, and the replays whose answer differed. */
  idempotentReplays: number;
  idempotencyMismatches: string[];
  /** Limit refusals, each one below the limit: the load never holds more than 2 sessions per worker. */
  refusalsBelowLimit: string[];
  /** Reverse edges (closing a 2-cycle) that were not refused with cycle_detected. */
  cyclesAccepted: string[];
  /** Other answers no fault explains (a 4xx that should not happen). */
  unexpected: string[];
  /** Sessions this load spawned and terminated (their revocations must reach the verifier). */
  terminated: Set<string>;
  /** When each of them was seen terminated (ms since the epoch), to place a missing revocation among the faults. */
  terminatedAt: Map<string, number>;
}

export function emptyLedger(): ChaosLedger {
  return {
    requests: 0,
    successes: 0,
    retriedFailures: 0,
    byStatus: new Map(),
    idempotentReplays: 0,
    idempotencyMismatches: [],
    refusalsBelowLimit: [],
    cyclesAccepted: [],
    unexpected: [],
    terminated: new Set(),
    terminatedAt: new Map(),
  };
}

/** Picks the replica URL for the next request among those currently up (the list changes as faults run). */
export type ReplicaPicker = () => string;

/**
 * Mixed load of one worker: spawn → terminate, and spawn two → delegate → reverse edge (must be
 * refused as a cycle) → token exchange → revoke → terminate both. Every spawn carries an
 * Idempotency-Key; a request that fails with a 5xx or no answer is retried (with the same key)
 * on whichever replica is up; a spawn that needed a retry, and every fifth spawn, is sent once
 * more with its key and must get the same answer.
 */
export class ChaosWorker {
  /** The request in flight (for diagnosing a stall), undefined between requests. */
  inFlight: { method: string; url: string; since: number } | undefined;
  private spawns = 0;
  private signal: AbortSignal | undefined;
  private readonly ledger: ChaosLedger;
  private readonly pick: ReplicaPicker;
  private readonly tenant: { zoneId: string; token: string; resource: string };

  constructor(ledger: ChaosLedger, pick: ReplicaPicker, tenant: { zoneId: string; token: string; resource: string }) {
    this.ledger = ledger;
    this.pick = pick;
    this.tenant = tenant;
  }

  /**
   * Runs units of work until `stopped()` says so between units (each unit ends what it began:
   * no session is left live). `signal` abandons the run at once, requests in flight included,
   * when the test has failed.
   */
  async run(stopped: () => boolean, signal: AbortSignal): Promise<void> {
    this.signal = signal;
    try {
      for (let unit = 0; !stopped(); unit += 1) {
        if (unit % 2 === 0) await this.churn();
        else await this.delegation();
      }
    } catch (error) {
      if (!signal.aborted) throw error;
    }
  }

  private async send(method: string, path: string, options: { json?: unknown; form?: Record<string, string>; key?: string } = {}): Promise<ChaosAnswer> {
    this.ledger.requests += 1;
    const headers: Record<string, string> = { authorization: `Bearer ${this.tenant.token}` };
    if (options.key !== undefined) headers['idempotency-key'] = options.key;
    let body: string | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(options.form).toString();
    }
    let answer: ChaosAnswer;
    try {
      const url = `${this.pick()}${path}`;
      this.inFlight = { method, url, since: Date.now() };
      const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }), ...(this.signal === undefined ? {} : { signal: this.signal }) });
      const text = await response.text();
      answer = { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) };
    } catch (error) {
      answer = { status: 0, body: { error: 'network', error_description: String(error) } };
    }
    this.inFlight = undefined;
    const label = `${answer.status} ${typeof answer.body.error === 'string' ? answer.body.error : ''}`.trim();
    this.ledger.byStatus.set(label, (this.ledger.byStatus.get(label) ?? 0) + 1);
    if (answer.status >= 200 && answer.status < 300) this.ledger.successes += 1;
    return answer;
  }

  /** Sends until the answer is not a fault (5xx or none); says whether a retry was needed. */
  private async sendUntilAnswered(method: string, path: string, options: { json?: unknown; form?: Record<string, string>; key?: string } = {}) {
    let retried = false;
    for (;;) {
      this.signal?.throwIfAborted();
      const answer = await this.send(method, path, options);
      if (answer.status !== 0 && answer.status < 500) return { answer, retried };
      this.ledger.retriedFailures += 1;
      retried = true;
    }
  }

  private async spawn(): Promise<string | undefined> {
    const key = randomUUID();
    const path = `/zones/${this.tenant.zoneId}/agents`;
    const { answer, retried } = await this.sendUntilAnswered('POST', path, { json: {}, key });
    this.spawns += 1;
    if (retried || this.spawns % 5 === 0) {
      const { answer: replay } = await this.sendUntilAnswered('POST', path, { json: {}, key });
      this.ledger.idempotentReplays += 1;
      if (replay.status !== answer.status || !isDeepStrictEqual(replay.body, answer.body)) {
        this.ledger.idempotencyMismatches.push(`${key}: ${answer.status} ${JSON.stringify(answer.body)} then ${replay.status} ${JSON.stringify(replay.body)}`);
      }
    }
    if (answer.status === 201) return answer.body.agent_session_id as string;
    if (answer.body.error === 'limit_exceeded') this.ledger.refusalsBelowLimit.push(JSON.stringify(answer.body));
    else this.ledger.unexpected.push(`spawn ${answer.status} ${JSON.stringify(answer.body)}`);
    return undefined;
  }

  private async terminate(id: string): Promise<void> {
    const { answer } = await this.sendUntilAnswered('DELETE', `/zones/${this.tenant.zoneId}/agents/${id}`);
    // 404 or 409 after a retry: the first attempt ended it before its answer was lost.
    if (answer.status === 200 || answer.status === 404 || answer.status === 409) {
      this.ledger.terminated.add(id);
      this.ledger.terminatedAt.set(id, Date.now());
    }
    else this.ledger.unexpected.push(`terminate ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  private async churn(): Promise<void> {
    const id = await this.spawn();
    if (id !== undefined) await this.terminate(id);
  }

  private async delegation(): Promise<void> {
    const source = await this.spawn();
    const target = await this.spawn();
    try {
      if (source === undefined || target === undefined) return;
      const zone = this.tenant.zoneId;
      const edgeBody = { source_session_id: source, target_session_id: target, scopes: ['tools:call'], resource_id: this.tenant.resource };
      const { answer: edge } = await this.sendUntilAnswered('POST', `/zones/${zone}/delegations`, { json: edgeBody, key: randomUUID() });
      if (edge.status !== 201) {
        this.ledger.unexpected.push(`delegate ${edge.status} ${JSON.stringify(edge.body)}`);
        return;
      }
      const edgeId = edge.body.delegation_edge_id as string;
      const reverse = { source_session_id: target, target_session_id: source, scopes: ['tools:call'], resource_id: this.tenant.resource };
      const { answer: cycle } = await this.sendUntilAnswered('POST', `/zones/${zone}/delegations`, { json: reverse });
      if (cycle.status !== 409 || cycle.body.error !== 'cycle_detected') this.ledger.cyclesAccepted.push(`${cycle.status} ${JSON.stringify(cycle.body)}`);
      const { answer: exchange } = await this.sendUntilAnswered('POST', '/oauth/2/token', {
        form: {
          grant_type: 'urn:ietf:params:oauth:grant-type:token-exchange',
          subject_token: this.tenant.token,
          subject_token_type: 'urn:ietf:params:oauth:token-type:access_token',
          resource: this.tenant.resource,
          scope: 'tools:call',
          agent_session_id: target,
          delegation_edge_id: edgeId,
        },
      });
      if (exchange.status !== 200) this.ledger.unexpected.push(`exchange ${exchange.status} ${JSON.stringify(exchange.body)}`);
      const { answer: revoked, retried } = await this.sendUntilAnswered('POST', `/zones/${zone}/delegations/${edgeId}/revoke`, { json: {} });
      // After a retry, 409 means the lost first attempt revoked it.
      if (revoked.status !== 200 && !(retried && revoked.status === 409)) this.ledger.unexpected.push(`revoke ${revoked.status} ${JSON.stringify(revoked.body)}`);
    } finally {
      if (source !== undefined) await this.terminate(source);
      if (target !== undefined) await this.terminate(target);
    }
  }
}
