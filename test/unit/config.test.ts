import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { parse } from 'yaml';
import { CONFIG_VARIABLES, ConfigError, loadConfig } from '../../server/config.ts';

test('defaults: embedded database under ./data, in-process pub/sub, port 8080', () => {
  const config = loadConfig({});
  assert.equal(config.port, 8080);
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.redisUrl, undefined);
  assert.equal(config.dataDir, './data');
});

test('a wrong value stops with one line naming the variable', () => {
  for (const [env, variable] of [
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ HANGAR_SESSION_TTL_HOURS: '-1' }, 'HANGAR_SESSION_TTL_HOURS'],
  ] as const) {
    assert.throws(
      () => loadConfig(env),
      (error: Error) => error instanceof ConfigError && error.message.startsWith(`Invalid configuration: ${variable}:`) && !error.message.includes('\n'),
    );
  }
});

test('docker compose gives Hangar only variables its config accepts', () => {
  const compose = parse(readFileSync(new URL('../../docker/compose.yml', import.meta.url), 'utf8'));
  const environment = compose.services.hangar.environment as Record<string, string>;
  assert.ok(Object.keys(environment).length > 0);
  for (const name of Object.keys(environment)) assert.ok(CONFIG_VARIABLES.includes(name), `${name} is not a Hangar setting`);
  assert.doesNotThrow(() => loadConfig(Object.fromEntries(Object.entries(environment).map(([k, v]) => [k, String(v)]))));
});

test('the README documents every setting', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
  for (const name of CONFIG_VARIABLES) assert.match(readme, new RegExp(`\\| \`${name}\``), `${name} is missing from the README's table`);
});
