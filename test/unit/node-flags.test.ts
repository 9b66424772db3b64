// Every way of starting a Hangar server passes the same Node flags (server/node-flags.ts).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SERVER_NODE_FLAGS } from '../../server/node-flags.ts';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');
const flags = SERVER_NODE_FLAGS.join(' ');

test('package.json start and hangar scripts run node with the server flags', () => {
  const { scripts } = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  assert.match(scripts.start, new RegExp(`(^|&& )node ${flags} server/main\\.ts start$`));
  assert.equal(scripts.hangar, `node ${flags} server/main.ts`);
});

test('server/main.ts run as a program passes the server flags', () => {
  assert.equal(read('server/main.ts').split('\n')[0], `#!/usr/bin/env -S node ${flags}`);
});

test('the Docker image starts node with the server flags', () => {
  const cmd = read('docker/Dockerfile').split('\n').findLast((line) => line.startsWith('CMD '));
  assert.deepEqual(JSON.parse(cmd!.slice(4)), ['node', ...SERVER_NODE_FLAGS, 'server/main.ts', 'start']);
});
