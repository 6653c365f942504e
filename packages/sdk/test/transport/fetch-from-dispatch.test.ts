import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchDispatch, type DispatchRequest } from '../../src/transport/dispatch.ts';
import { fetchFromDispatch, toDispatchRequest } from '../../src/transport/fetch-from-dispatch.ts';
import { startRecordingServer, type RecordingServer } from './helpers/recording-server.ts';

let server: RecordingServer;

beforeAll(async () => {
  server = await startRecordingServer((request, response) => {
    if (request.url === '/redirect') response.writeHead(302, { location: '/elsewhere' }).end();
    else response.writeHead(200).end(request.body);
  });
});

afterAll(() => server.close());

describe('toDispatchRequest', () => {
  it('normalises every header form to lowercase names', async () => {
    const fromHeaders = await toDispatchRequest('http://127.0.0.1/', { headers: new Headers({ 'X-One': '1' }) });
    const fromPairs = await toDispatchRequest('http://127.0.0.1/', { headers: [['X-Two', '2']] });
    const fromRecord = await toDispatchRequest(new URL('http://127.0.0.1/'), { headers: { 'X-Three': '3' } });
    expect([fromHeaders.headers, fromPairs.headers, fromRecord.headers]).toEqual([{ 'x-one': '1' }, { 'x-two': '2' }, { 'x-three': '3' }]);
    expect(fromRecord.url).toBe('http://127.0.0.1/');
    expect(fromRecord.method).toBe('GET');
  });

  it('keeps a string body as is and the caller’s signal and other options', async () => {
    const controller = new AbortController();
    const request = await toDispatchRequest('http://127.0.0.1/', { method: 'POST', body: '{"a":1}', signal: controller.signal, redirect: 'manual' });
    expect(request).toMatchObject({ method: 'POST', body: '{"a":1}', signal: controller.signal, fetchOptions: { redirect: 'manual' } });
  });

  it('buffers a Request, a stream or form data, keeping the headers the body implies', async () => {
    const fromRequest = await toDispatchRequest(new Request('http://127.0.0.1/x', { method: 'PUT', body: 'abc', headers: { 'x-a': '1' } }));
    expect(new TextDecoder().decode(fromRequest.body as Uint8Array)).toBe('abc');
    expect(fromRequest).toMatchObject({ method: 'PUT', url: 'http://127.0.0.1/x', headers: { 'x-a': '1' } });

    const form = new FormData();
    form.set('field', 'value');
    const fromForm = await toDispatchRequest('http://127.0.0.1/', { method: 'POST', body: form });
    expect(fromForm.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(new TextDecoder().decode(fromForm.body as Uint8Array)).toContain('value');

    const stream = new Blob(['streamed']).stream();
    const fromStream = await toDispatchRequest('http://127.0.0.1/', { method: 'POST', body: stream, duplex: 'half' } as RequestInit);
    expect(new TextDecoder().decode(fromStream.body as Uint8Array)).toBe('streamed');
  });
});

describe('fetchFromDispatch', () => {
  it('sends through the dispatch to a real server and returns its response', async () => {
    const seen: DispatchRequest[] = [];
    const send = fetchDispatch();
    const fetchLike = fetchFromDispatch(async (request) => {
      seen.push(request);
      return send(request);
    });
    const response = await fetchLike(`${server.url}/echo`, { method: 'POST', body: 'hello', headers: { 'X-Trace': 't' } });
    expect(await response.text()).toBe('hello');
    expect(seen[0]?.headers).toEqual({ 'x-trace': 't' });
    expect(server.requests.at(-1)?.headers['x-trace']).toBe('t');
  });

  it('passes redirect: manual through to fetch', async () => {
    const response = await fetchFromDispatch(fetchDispatch())(`${server.url}/redirect`, { redirect: 'manual' });
    expect(response.status).toBe(302);
  });
});
