import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

type Row = Record<string, unknown>;

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  authorization: string | undefined;
  body: unknown;
}

export interface FakeCoordinator {
  url: string;
  zoneId: string;
  token: string;
  adminToken: string;
  agents: Row[];
  edges: Row[];
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Answers with at most this many items per page whatever `limit` says, so the CLI must follow cursors. */
const PAGE_SIZE = 2;

/**
 * A real HTTP server on port 0 that serves the Coordinator and admin shapes from
 * in-memory rows: enough to test rendering, paging, auth headers and error reporting of the CLI.
 */
export async function startFakeCoordinator(): Promise<FakeCoordinator> {
  const zoneId = 'zone_test';
  const agents = seedAgents();
  const edges = seedEdges();
  const requests: RecordedRequest[] = [];
  const state = { token: 'operator-token', adminToken: 'admin-secret', nextRequest: 1 };
  const server = createServer((request, response) => {
    void handle(request, response).catch((error: unknown) => send(response, 500, { error: 'server_error', error_description: String(error) }));
  });
  const handle = async (request: IncomingMessage, response: ServerResponse): Promise<void> => {
    const url = new URL(request.url ?? '/', 'http://fake');
    const text = await readBody(request);
    requests.push({ method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, authorization: request.headers.authorization, body: text === '' ? undefined : parseBody(text) });
    response.setHeader('x-request-id', `req_fake${state.nextRequest++}`);
    const admin = url.pathname.startsWith('/admin/');
    if (request.headers.authorization !== `Bearer ${admin ? state.adminToken : state.token}`) {
      return send(response, 401, { error: 'invalid_token', error_description: 'the bearer mandate is not valid' });
    }
    const route = routes.find((candidate) => candidate.method === request.method && candidate.pattern.test(url.pathname));
    if (route === undefined) return send(response, 404, { error: 'not_found', error_description: `no route for ${request.method} ${url.pathname}` });
    const match = route.pattern.exec(url.pathname)!;
    // Like the real Coordinator: action routes validate their body as a JSON object.
    const received = requests.at(-1)!.body;
    if (request.method !== 'GET' && (typeof received !== 'object' || received === null)) return send(response, 400, { error: 'invalid_request', error_description: 'body must be object' });
    if (!admin && match[1] !== zoneId) return send(response, 403, { error: 'forbidden', error_description: `the mandate belongs to zone ${zoneId}, not ${match[1]}` });
    const [status, body] = route.run(match.slice(1).map(decodeURIComponent), url.searchParams);
    return send(response, status, body);
  };
  const findAgent = (id: string | undefined): Row | undefined => agents.find((agent) => agent.id === id);
  const missingAgent = (id: string | undefined): [number, Row] => [404, { error: 'not_found', error_description: `no agent session ${id}` }];
  const routes: Array<{ method: string; pattern: RegExp; run(params: string[], query: URLSearchParams): [number, unknown] }> = [
    { method: 'GET', pattern: /^\/zones\/([^/]+)\/agents$/, run: (_p, query) => [200, page(agents, query)] },
    { method: 'GET', pattern: /^\/zones\/([^/]+)\/agents\/([^/]+)$/, run: ([, id]) => (findAgent(id) ? [200, findAgent(id)] : missingAgent(id)) },
    {
      method: 'GET',
      pattern: /^\/zones\/([^/]+)\/agents\/([^/]+)\/children$/,
      run: ([, id], query) => (findAgent(id) ? [200, page(agents.filter((agent) => agent.parent_id === id), query)] : missingAgent(id)),
    },
    { method: 'POST', pattern: /^\/zones\/([^/]+)\/agents\/([^/]+)\/suspend$/, run: ([, id]) => changeStatus(id, 'suspended', 'suspended') },
    { method: 'POST', pattern: /^\/zones\/([^/]+)\/agents\/([^/]+)\/resume$/, run: ([, id]) => changeStatus(id, 'active', 'resumed') },
    { method: 'DELETE', pattern: /^\/zones\/([^/]+)\/agents\/([^/]+)$/, run: ([, id]) => terminate(id) },
    {
      method: 'GET',
      pattern: /^\/zones\/([^/]+)\/delegations$/,
      run: (_p, query) => {
        const source = query.get('source_session_id');
        const target = query.get('target_session_id');
        const matching = edges.filter((edge) => (source === null || edge.source_session_id === source) && (target === null || edge.target_session_id === target));
        return [200, page(matching, query)];
      },
    },
    { method: 'GET', pattern: /^\/zones\/([^/]+)\/delegations\/([^/]+)\/traverse$/, run: ([, id]) => traverse(id) },
    { method: 'POST', pattern: /^\/zones\/([^/]+)\/delegations\/([^/]+)\/revoke$/, run: ([, id]) => revoke(id) },
    { method: 'POST', pattern: /^\/admin\/zones$/, run: () => [201, { id: 'zone_new', created_at: '2025-01-01T00:00:00.000Z' }] },
    { method: 'POST', pattern: /^\/admin\/zones\/([^/]+)\/applications$/, run: ([zone]) => [201, { id: 'app_new', client_id: 'app_new', zone_id: zone, client_secret: 'shown-once-secret', scopes: ['tools:call'] }] },
    { method: 'POST', pattern: /^\/admin\/zones\/([^/]+)\/resources$/, run: ([zone]) => [201, { id: 'mcp://tools.test', zone_id: zone, scopes: ['tools:call'] }] },
    {
      method: 'POST',
      pattern: /^\/admin\/zones\/([^/]+)\/operator-token$/,
      run: ([zone]) => [200, { access_token: `eyJhbGciOiJFUzI1NiJ9.${Buffer.from(JSON.stringify({ zone_id: zone })).toString('base64url')}.sig`, token_type: 'Bearer', expires_in: 3600, scope: 'agent:lifecycle caracal:admin' }],
    },
  ];
  const changeStatus = (id: string | undefined, status: string, key: string): [number, unknown] => {
    const agent = findAgent(id);
    if (agent === undefined) return missingAgent(id);
    if (agent.status === 'terminated') return [409, { error: 'session_terminated', error_description: `agent session ${id} is terminated` }];
    agent.status = status;
    return [200, { [key]: 1 }];
  };
  const terminate = (id: string | undefined): [number, unknown] => {
    if (findAgent(id) === undefined) return missingAgent(id);
    const doomed = new Set([id]);
    for (const agent of agents) if (doomed.has(agent.parent_id as string)) doomed.add(agent.id as string);
    for (const agent of agents) if (doomed.has(agent.id as string)) Object.assign(agent, { status: 'terminated', terminated_at: '2025-01-01T01:00:00.000Z' });
    const touched = edges.filter((edge) => edge.status === 'active' && (doomed.has(edge.source_session_id as string) || doomed.has(edge.target_session_id as string)));
    for (const edge of touched) edge.status = 'revoked';
    return [200, { terminated_sessions: doomed.size, revoked_edges: touched.length }];
  };
  const traverse = (id: string | undefined): [number, unknown] => {
    const chain: Row[] = [];
    for (let edge = edges.find((candidate) => candidate.id === id); edge !== undefined; edge = edges.find((candidate) => candidate.id === edge!.parent_edge_id)) {
      chain.unshift(edge);
    }
    if (chain.length === 0) return [404, { error: 'not_found', error_description: `no delegation edge ${id}` }];
    return [200, { items: chain.map((edge, depth) => ({ depth, id: edge.id, source_session_id: edge.source_session_id, target_session_id: edge.target_session_id })), next_cursor: null }];
  };
  const revoke = (id: string | undefined): [number, unknown] => {
    const revoked = new Set([id]);
    for (const edge of edges) if (revoked.has(edge.parent_edge_id as string)) revoked.add(edge.id as string);
    const affected = new Set<unknown>();
    let count = 0;
    for (const edge of edges) {
      if (!revoked.has(edge.id as string) || edge.status !== 'active') continue;
      edge.status = 'revoked';
      affected.add(edge.target_session_id);
      count += 1;
    }
    return [200, { revoked_edges: count, affected_sessions: affected.size }];
  };
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    zoneId,
    get token() {
      return state.token;
    },
    set token(value: string) {
      state.token = value;
    },
    adminToken: state.adminToken,
    agents,
    edges,
    requests,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function page(rows: Row[], query: URLSearchParams): { items: Row[]; next_cursor: string | null } {
  const start = Number(query.get('cursor') ?? '0');
  const size = Math.min(PAGE_SIZE, Number(query.get('limit') ?? PAGE_SIZE));
  const end = start + size;
  return { items: rows.slice(start, end), next_cursor: end < rows.length ? String(end) : null };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of request) text += String(chunk);
  return text;
}

function parseBody(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function seedAgents(): Row[] {
  const agent = (id: string, parent: string | null, depth: number, status = 'active'): Row => ({
    id,
    application_id: 'app_orchestrator',
    parent_id: parent,
    status,
    depth,
    kind: 'agent',
    spawned_at: `2025-01-01T00:00:0${depth}.000Z`,
    terminated_at: null,
  });
  return [
    agent('agentsess_r00t0000000000000000000000', null, 0),
    agent('agentsess_ch11d100000000000000000000', 'agentsess_r00t0000000000000000000000', 1),
    agent('agentsess_ch11d200000000000000000000', 'agentsess_r00t0000000000000000000000', 1, 'suspended'),
    agent('agentsess_grandch11d0000000000000000', 'agentsess_ch11d100000000000000000000', 2),
    agent('agentsess_0ther000000000000000000000', null, 0),
  ];
}

function seedEdges(): Row[] {
  const edge = (id: string, source: string, target: string, parent: string | null): Row => ({
    id,
    source_session_id: source,
    target_session_id: target,
    resource_id: 'mcp://tools.test',
    scopes: ['tools:call'],
    constraints: {},
    status: 'active',
    expires_at: '2025-01-01T00:15:00.000Z',
    parent_edge_id: parent,
  });
  return [
    edge('deledge_a0000000000000000000000000', 'agentsess_r00t0000000000000000000000', 'agentsess_ch11d100000000000000000000', null),
    edge('deledge_b0000000000000000000000000', 'agentsess_ch11d100000000000000000000', 'agentsess_grandch11d0000000000000000', 'deledge_a0000000000000000000000000'),
    edge('deledge_c0000000000000000000000000', 'agentsess_r00t0000000000000000000000', 'agentsess_ch11d200000000000000000000', null),
    edge('deledge_d0000000000000000000000000', 'agentsess_r00t0000000000000000000000', 'agentsess_0ther000000000000000000000', null),
  ];
}
