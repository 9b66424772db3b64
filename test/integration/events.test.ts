import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import { createEventBus } from '../../server/events/pubsub.ts';
import { TEST_REDIS_URL } from '../support/hangar.ts';

test('events cross processes through Redis, and installations with different prefixes do not hear each other', async () => {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const sender = createEventBus(TEST_REDIS_URL, undefined, prefix);
  const sameInstallation = createEventBus(TEST_REDIS_URL, undefined, prefix);
  const otherInstallation = createEventBus(TEST_REDIS_URL, undefined, `${prefix}-other`);
  try {
    const heard: string[] = [];
    const overheard: string[] = [];
    const listen = async (bus: typeof sender, into: string[]) => {
      for await (const event of bus.pubsub.subscribe('audit:added')) into.push(event.id);
    };
    void listen(sameInstallation, heard);
    void listen(otherInstallation, overheard);
    await new Promise((r) => setTimeout(r, 200));
    sender.pubsub.publish('audit:added', { id: '42' });
    for (let i = 0; i < 40 && heard.length === 0; i++) await new Promise((r) => setTimeout(r, 25));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(heard, ['42']);
    assert.deepEqual(overheard, []);
  } finally {
    for (const bus of [sender, sameInstallation, otherInstallation]) await bus.close();
  }
});
