import { describe, expect, it } from 'vitest';
import type { Database } from '../../../src/db/database.ts';
import { openRunWakeups, type WakeupTicket } from '../../../src/coordinator/runners/run-wakeups.ts';
import { countedWakeupPayloads } from '../../../src/coordinator/runs/run-facts.ts';
import type { RunnerRow } from '../../../src/coordinator/runners/runner-row.ts';

/** openRunWakeups over a database whose NOTIFYs the test sends itself. */
async function wakeupsWithNotify() {
  let notify: (payload: string) => void = () => undefined;
  const database = {
    listen: async (_channel: string, onNotify: (payload: string) => void) => {
      notify = onNotify;
      return async () => undefined;
    },
  } as unknown as Database;
  return { wakeups: await openRunWakeups(database), notify: (payload: string) => notify(payload) };
}

const runner = (id: string, overrides: Partial<RunnerRow> = {}): RunnerRow =>
  ({ id, zone_id: 'zone_w', application_id: 'app_w', serves_zone: false, blueprints: [], tags: [], ...overrides }) as RunnerRow;

/** Whether the ticket has resolved, once pending callbacks ran. */
async function isWoken(ticket: WakeupTicket): Promise<boolean> {
  let woken = false;
  void ticket.woken.then(() => (woken = true));
  await Promise.resolve();
  await Promise.resolve();
  return woken;
}

describe('run wake-ups of a ticket taken before its runner is read (a poll\'s first look)', () => {
  it('wakes at bind when work the runner may serve came while it was read', async () => {
    const { wakeups, notify } = await wakeupsWithNotify();
    const ticket = wakeups.ticket('zone_w');
    notify('work|zone_w|app_w||');
    expect(await isWoken(ticket)).toBe(false);
    ticket.bind(runner('runner_a'));
    expect(await isWoken(ticket)).toBe(true);
  });

  it('wakes at bind for a stop order of the runner, not for another runner\'s', async () => {
    const { wakeups, notify } = await wakeupsWithNotify();
    const mine = wakeups.ticket('zone_w');
    const other = wakeups.ticket('zone_w');
    notify('stop|zone_w|runner_a');
    mine.bind(runner('runner_a'));
    other.bind(runner('runner_b'));
    expect([await isWoken(mine), await isWoken(other)]).toEqual([true, false]);
  });

  it('keeps waiting after bind when what came was for others, and then wakes like any ticket', async () => {
    const { wakeups, notify } = await wakeupsWithNotify();
    const ticket = wakeups.ticket('zone_w');
    notify('work|zone_w|app_other||');
    notify('work|zone_other|app_w||');
    ticket.bind(runner('runner_a'));
    expect(await isWoken(ticket)).toBe(false);
    notify('work|zone_w|app_w||');
    expect(await isWoken(ticket)).toBe(true);
  });

  it('takes no wake from a bound ticket that may serve the work', async () => {
    const { wakeups, notify } = await wakeupsWithNotify();
    const unbound = wakeups.ticket('zone_w');
    const bound = wakeups.ticket('zone_w', runner('runner_b'));
    notify('work|zone_w|app_w||');
    expect(await isWoken(bound)).toBe(true);
    unbound.bind(runner('runner_a'));
    expect(await isWoken(unbound)).toBe(true);
  });

  it('is woken when the server closes, bound or not', async () => {
    const { wakeups } = await wakeupsWithNotify();
    const ticket = wakeups.ticket('zone_w');
    await wakeups.close();
    expect(await isWoken(ticket)).toBe(true);
    const late = wakeups.ticket('zone_w');
    late.bind(runner('runner_a'));
    expect(await isWoken(late)).toBe(true);
  });
});

describe('wakes sent together (one statement: Postgres delivers identical payloads of a transaction once)', () => {
  it('counts identical work payloads and leaves the others, in order of first appearance', () => {
    expect(
      countedWakeupPayloads(['work|zone_w|app_w||', 'stop|zone_w|runner_a', 'work|zone_w|app_w||', 'work|zone_w|app_x|agent|a,b', 'work|zone_w|app_w||', 'stop|zone_w|runner_a']),
    ).toEqual(['work*3|zone_w|app_w||', 'stop|zone_w|runner_a', 'work|zone_w|app_x|agent|a,b']);
    expect(countedWakeupPayloads(['work|zone_w|app_w|agent|x|y,z', 'work|zone_w|app_w|agent|x|y,z'])).toEqual(['work*2|zone_w|app_w|agent|x|y,z']);
  });

  it('wakes as many runners as a counted payload names, never more than may serve the work', async () => {
    const { wakeups, notify } = await wakeupsWithNotify();
    const tickets = ['runner_a', 'runner_b', 'runner_c', 'runner_d'].map((id) => wakeups.ticket('zone_w', runner(id)));
    const stranger = wakeups.ticket('zone_w', runner('runner_x', { application_id: 'app_other' }));
    notify('work*3|zone_w|app_w||');
    expect(await Promise.all([...tickets, stranger].map(isWoken))).toEqual([true, true, true, false, false]);
    notify('work*5|zone_w|app_w||');
    expect(await Promise.all([...tickets, stranger].map(isWoken))).toEqual([true, true, true, true, false]);
  });

  it('keeps a counted payload for a ticket not bound yet, like a single one', async () => {
    const { wakeups, notify } = await wakeupsWithNotify();
    const ticket = wakeups.ticket('zone_w');
    notify('work*2|zone_w|app_w|agent|tag|with|bars');
    ticket.bind(runner('runner_a', { serves_zone: true }));
    expect(await isWoken(ticket)).toBe(true);
  });

  it('wakes a poll that takes no run (its runner at its cap) for its stop orders only, and gives new work to one that will take it', async () => {
    const { wakeups, notify } = await wakeupsWithNotify();
    const capped = wakeups.ticket('zone_w', runner('runner_a'), { claims: false });
    const free = wakeups.ticket('zone_w', runner('runner_b'));
    const unbound = wakeups.ticket('zone_w', undefined, { claims: false });
    notify('work|zone_w|app_w||');
    expect([await isWoken(capped), await isWoken(free)]).toEqual([false, true]);
    unbound.bind(runner('runner_c'));
    expect(await isWoken(unbound)).toBe(false);
    notify('stop|zone_w|runner_a');
    expect(await isWoken(capped)).toBe(true);
  });
});
