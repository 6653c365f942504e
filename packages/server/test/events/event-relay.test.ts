import { describe, expect } from 'vitest';
import { encodeBusFields, type PublishedEvent } from '../../src/events/bus-event.ts';
import { createEventRelay, type RelayOutcome } from '../../src/events/event-relay.ts';
import { Topics } from '../../src/events/topics.ts';
import { testBackends } from '../helpers/backends.ts';
import { serverTest } from '../helpers/fixtures.ts';
import { waitFor } from '../helpers/wait-for.ts';

const SECRET = 'relay-test-secret';
const topic = Topics.agentsLifecycle;

const fieldsFor = (outboxId: string, secret = SECRET): Record<string, string> =>
  encodeBusFields(
    topic,
    { outboxId, type: 'session_spawned', zoneId: 'zone_a', payload: { outbox: outboxId }, occurredAt: new Date(0).toISOString() },
    { publishedBy: 'test', signingSecret: secret },
  );

describe.each(testBackends())('lifecycle relay on $name', (backend) => {
  serverTest.override('backend', backend);

  serverTest('re-emits verified events once and drops forged, tampered, malformed and duplicate entries', async ({ events }) => {
    const bus = await events.openBus();
    const outcomes: RelayOutcome[] = [];
    const relay = createEventRelay({ bus, signingSecret: SECRET, topics: [topic], onEntry: (_topic, outcome) => outcomes.push(outcome) });
    const received: PublishedEvent[] = [];
    relay.on(topic, (event) => received.push(event));
    await relay.start();

    await bus.publish(topic, fieldsFor('1'));
    await bus.publish(topic, fieldsFor('2', 'someone-else')); // forged: another secret
    await bus.publish(topic, { ...fieldsFor('3'), zone_id: 'zone_b' }); // tampered after signing
    await bus.publish(topic, { outbox_id: '4', type: 'x' }); // unsigned
    await bus.publish(topic, fieldsFor('1')); // the at-least-once window: same outbox id again
    await bus.publish(topic, fieldsFor('5'));
    await waitFor(() => outcomes.length === 6, { what: 'six relay outcomes' });
    await relay.stop();

    expect(outcomes).toEqual(['delivered', 'forged', 'forged', 'forged', 'duplicate', 'delivered']);
    expect(received.map((event) => event.outboxId)).toEqual(['1', '5']);
    expect(received[0]).toMatchObject({ topic, type: 'session_spawned', zoneId: 'zone_a', payload: { outbox: '1' }, publishedBy: 'test' });
  });

  serverTest('keeps relaying when a listener throws', async ({ events }) => {
    const bus = await events.openBus();
    const errors: unknown[] = [];
    const relay = createEventRelay({ bus, signingSecret: SECRET, topics: [topic], onListenerError: (error) => errors.push(error) });
    const received: string[] = [];
    relay.on(topic, () => {
      throw new Error('listener bug');
    });
    relay.on(topic, (event) => received.push(event.outboxId));
    await relay.start();
    await bus.publish(topic, fieldsFor('10'));
    await bus.publish(topic, fieldsFor('11'));
    await waitFor(() => received.length === 2);
    await relay.stop();
    expect(errors).toHaveLength(2);
  });
});
