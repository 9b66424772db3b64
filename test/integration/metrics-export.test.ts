import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { VM_FIELDS, columnOf } from '../../server/events/samples.ts';
import type { VmSampleColumn } from '../../server/services/metrics-export.ts';
import { COUNTER_COLUMNS, type CounterColumn } from '../../server/services/metric-counters.ts';
import { ADMIN, BACKENDS, setupAdmin, useTestHangar, userWithRole, type TestHangar } from '../support/hangar.ts';

interface Sample {
  value: string;
  labels?: Record<string, string>;
}
interface MetricFamily {
  name: string;
  help: string;
  type: string;
  metrics: Sample[];
}
// The package ships no types; it is a port of Prometheus' own Go parser (expfmt).
const parsePrometheusText = createRequire(import.meta.url)('parse-prometheus-text-format') as (text: string) => MetricFamily[];

const INTERVAL_SECONDS = 10;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
// Quotes, backslashes and a line break: all legal in a VM name, all to be escaped in a label value.
const TRICKY_NAME = 'db "primary" C:\\vms\\new\nrack 2';

interface Fixture {
  auditorToken: string;
  userToken: string;
  adminTokenWithoutMetrics: string;
  adminCookie: string;
  hv1: string;
  hv2: string;
  web: string;
  quiet: string;
  gone: string;
}

async function createToken(t: TestHangar, cookie: string, privileges: string[]): Promise<string> {
  const result = await t.gql(
    'mutation($input: CreateApiTokenInput!) { createApiToken(input: $input) { __typename ... on CreatedApiToken { secret } ... on Error { message } } }',
    { input: { name: 'scraper', privileges } },
    { cookie },
  );
  if (result.data?.createApiToken?.__typename !== 'CreatedApiToken') throw new Error(`createApiToken failed: ${JSON.stringify(result)}`);
  return result.data.createApiToken.secret;
}

/** Two hosts and three VMs as the collector would have left them: the samples are written directly. */
async function fixture(t: TestHangar): Promise<Fixture> {
  const adminCookie = await setupAdmin(t);
  const auditor = await userWithRole(t, adminCookie, 'Auditor');
  const user = await userWithRole(t, adminCookie, 'User');
  const db = t.hangar.db;
  const adminId = (await db.selectFrom('users').select('id').where('email', '=', ADMIN.email).executeTakeFirstOrThrow()).id;
  const now = Date.now();
  const secondsAgo = (s: number) => new Date(now - s * 1000);

  const hv1 = await db
    .insertInto('hosts')
    .values({
      name: 'hv1',
      uri: 'qemu+ssh://root@hv1.example.com/system',
      status: 'online',
      settings: JSON.stringify({ cpuOvercommit: 4, memoryOvercommit: 1.5 }),
      capabilities: JSON.stringify({ cpus: 16, memoryMb: 65536, cpuModel: 'EPYC', arch: 'x86_64', libvirtVersion: '10.0.0', hypervisorVersion: 'QEMU 8.2.0', domainTypes: ['kvm', 'qemu'], nested: false }),
      domain_type: 'kvm',
      last_seen_at: new Date(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Never read: no capabilities, and its collector stopped long ago.
  const hv2 = await db
    .insertInto('hosts')
    .values({ name: 'hv2', uri: 'qemu+ssh://root@hv2.example.com/system', status: 'offline', status_message: 'unreachable', maintenance: true, settings: '{}', capabilities: '{}' })
    .returning('id')
    .executeTakeFirstOrThrow();

  const vm = (name: string, hostId: string, state: string, extra: { deleted_at?: Date } = {}) =>
    db.insertInto('vms').values({ name, owner_id: adminId, host_id: hostId, vcpus: 2, memory_mb: 2048, disk_gb: 20, state, ...extra }).returning('id').executeTakeFirstOrThrow();
  const web = await vm(TRICKY_NAME, hv1.id, 'running');
  const quiet = await vm('quiet', hv1.id, 'stopped');
  const gone = await vm('gone', hv1.id, 'deleted', { deleted_at: new Date() });

  const figures = (base: number) => Object.fromEntries(VM_FIELDS.map((field, i) => [columnOf(field), base + i])) as Record<VmSampleColumn, number>;
  await db
    .insertInto('vm_metric_samples')
    .values([
      // An hour old, then one interval before the newest; the newest lacks the memory figures (read every few intervals).
      { vm_id: web.id, at: secondsAgo(3600), ...figures(1000) },
      { vm_id: web.id, at: secondsAgo(INTERVAL_SECONDS + 1), ...figures(100), memory_used_bytes: 1.5 * GiB },
      { vm_id: web.id, at: secondsAgo(1), ...figures(0), cpu_percent: 42.5, memory_used_bytes: null, memory_available_bytes: null },
      // Older than three intervals: stale.
      { vm_id: quiet.id, at: secondsAgo(3 * INTERVAL_SECONDS + 5), ...figures(200) },
      { vm_id: gone.id, at: secondsAgo(1), ...figures(300) },
    ])
    .execute();
  // The collector's newest libvirt totals: the web VM's are recent, the quiet VM's from before it stopped.
  const totals = (base: number) => Object.fromEntries(COUNTER_COLUMNS.map((column, i) => [column, base + i * 1000.5])) as Record<CounterColumn, number>;
  await db
    .insertInto('vm_metric_counters')
    .values([
      { vm_id: web.id, at: secondsAgo(1), ...totals(5_000_000_000), disk_read_ops: null },
      { vm_id: quiet.id, at: secondsAgo(3 * INTERVAL_SECONDS + 5), ...totals(7) },
    ])
    .execute();
  await db
    .insertInto('host_metric_samples')
    .values([
      { host_id: hv1.id, at: secondsAgo(2), cpu_percent: 12.25, memory_used_bytes: 8 * GiB, memory_total_bytes: 64 * GiB, vms_running: 1, disk_read_bytes_per_second: 10, disk_write_bytes_per_second: 20, net_rx_bytes_per_second: 30, net_tx_bytes_per_second: 40 },
      { host_id: hv2.id, at: secondsAgo(3600), cpu_percent: 99, memory_used_bytes: 1, memory_total_bytes: 2, vms_running: 0, disk_read_bytes_per_second: 0, disk_write_bytes_per_second: 0, net_rx_bytes_per_second: 0, net_tx_bytes_per_second: 0 },
    ])
    .execute();

  return {
    auditorToken: await createToken(t, auditor.cookie, ['Metrics_Read']),
    userToken: await createToken(t, user.cookie, ['VM_Console']),
    adminTokenWithoutMetrics: await createToken(t, adminCookie, ['Audit_Read']),
    adminCookie,
    hv1: hv1.id,
    hv2: hv2.id,
    web: web.id,
    quiet: quiet.id,
    gone: gone.id,
  };
}

function scrape(t: TestHangar, headers: Record<string, string> = {}, method = 'GET') {
  return fetch(`${t.url}/metrics`, { method, headers });
}

function find(families: MetricFamily[], name: string, labels: Record<string, string>): Sample[] {
  const family = families.find((f) => f.name === name);
  if (!family) return [];
  return family.metrics.filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
}

function valueOf(families: MetricFamily[], name: string, labels: Record<string, string>): number {
  const found = find(families, name, labels);
  assert.equal(found.length, 1, `one ${name} ${JSON.stringify(labels)}, found ${found.length}`);
  return Number(found[0].value);
}

/**
 * The text format's rules checked line by line, beyond what the parser enforces: every family has
 * one HELP and one TYPE before its samples, names and label names are legal, samples of a family are
 * together, no series repeats, values are numbers, counters are finite and not negative.
 */
function checkExposition(body: string): void {
  assert.ok(body.endsWith('\n'), 'the exposition ends with a line feed');
  const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
  const declared = new Map<string, { help: boolean; type: string | null; samples: number }>();
  const finished = new Set<string>();
  const series = new Set<string>();
  let current: string | null = null;
  for (const line of body.split('\n')) {
    if (line === '') continue;
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      assert.match(name, NAME);
      assert.ok(!finished.has(name), `${name} declared again after its samples`);
      const family = declared.get(name) ?? { help: false, type: null, samples: 0 };
      if (kind === 'HELP') {
        assert.ok(!family.help, `one HELP for ${name}`);
        assert.ok(rest.trim().length > 0, `HELP text for ${name}`);
        family.help = true;
      } else {
        assert.equal(family.type, null, `one TYPE for ${name}`);
        assert.ok(['counter', 'gauge'].includes(rest), `${name} is a ${rest}`);
        family.type = rest;
      }
      declared.set(name, family);
      if (current !== null && current !== name) finished.add(current);
      current = name;
      continue;
    }
    assert.ok(!line.startsWith('#'), `a comment line: ${line}`);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)$/.exec(line);
    assert.ok(sample, `a sample line: ${JSON.stringify(line)}`);
    const [, name, labels = '', value] = sample;
    assert.equal(name, current, `${name}'s samples follow its HELP and TYPE`);
    const family = declared.get(name)!;
    assert.ok(family.help && family.type, `${name} has HELP and TYPE`);
    family.samples++;
    for (const [, label] of labels.matchAll(/(?:^\{|,)([^=,{}]+)="/g)) assert.match(label, /^[a-zA-Z_][a-zA-Z0-9_]*$/);
    assert.ok(!labels.includes('\n'), 'no raw line feed inside a label value');
    assert.ok(!series.has(name + labels), `series ${name}${labels} once`);
    series.add(name + labels);
    const number = Number(value);
    assert.ok(!Number.isNaN(number) || value === 'NaN', `${name} value ${value}`);
    if (family.type === 'counter') assert.ok(Number.isFinite(number) && number >= 0, `counter ${name} = ${value}`);
  }
}

/** `promtool check metrics` (Debian's prometheus package, installed by scripts/test-services) finds no problem. */
function promtoolCheck(body: string): void {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    assert.ok(!process.env.CI, 'promtool is installed in CI (scripts/test-services)');
    console.warn('promtool not installed: the exposition was checked by the parser and checkExposition only');
    return;
  }
  const check = spawnSync('promtool', ['check', 'metrics'], { input: body, encoding: 'utf8' });
  assert.equal(check.status, 0, `promtool check metrics:\n${check.stdout}${check.stderr}`);
  assert.equal(`${check.stdout}${check.stderr}`.trim(), '', 'promtool has no lint remark');
}

describe('docs/ for Prometheus users', () => {
  test('the rules and every query of the Grafana dashboard are valid PromQL over what /metrics exports', async (t) => {
    if (spawnSync('promtool', ['--version']).error) return t.skip('promtool not installed');
    const docs = new URL('../../docs/', import.meta.url);
    const rules = spawnSync('promtool', ['check', 'rules', new URL('prometheus-rules.yml', docs).pathname], { encoding: 'utf8' });
    assert.equal(rules.status, 0, rules.stdout + rules.stderr);
    const dashboard = JSON.parse(await readFile(new URL('grafana-dashboard.json', docs), 'utf8'));
    const exprs: string[] = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((target) => target.expr));
    assert.ok(exprs.length >= 10);
    const names = new Set([...COUNTER_COLUMNS.map((c) => `hangar_vm_${c}_total`), ...VM_FIELDS.map((f) => `hangar_vm_${columnOf(f)}`)]);
    for (const expr of exprs) {
      for (const [name] of expr.matchAll(/hangar_vm_[a-z_]+/g)) assert.ok(names.has(name) || ['hangar_vm_state', 'hangar_vm_vcpus', 'hangar_vm_memory_bytes'].includes(name), `${name} is exported`);
    }
    // Grafana's variables as Prometheus would receive them, then each query as a recording rule.
    const dir = await mkdtemp(join(tmpdir(), 'hangar-dashboard-'));
    try {
      const file = join(dir, 'dashboard-rules.yml');
      const concrete = exprs.map((e) => e.replaceAll('$__rate_interval', '1m').replaceAll('$host', '.*').replaceAll('$vm', '.*'));
      await writeFile(file, `groups:\n  - name: dashboard\n    rules:\n${concrete.map((e, i) => `      - record: dashboard:panel_${i}\n        expr: ${JSON.stringify(e)}\n`).join('')}`);
      const check = spawnSync('promtool', ['check', 'rules', file], { encoding: 'utf8' });
      assert.equal(check.status, 0, check.stdout + check.stderr);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

for (const backend of BACKENDS) {
  describe(`/metrics for Prometheus [${backend}]`, () => {
    const hangar = useTestHangar(backend, { HANGAR_METRICS_INTERVAL_SECONDS: String(INTERVAL_SECONDS) });
    let f: Fixture;
    before(async () => {
      f = await fixture(hangar());
    });

    test('an Auditor token scrapes every VM and host with their latest recent figures', async () => {
      const t = hangar();
      const response = await scrape(t, { authorization: `Bearer ${f.auditorToken}` });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      const body = await response.text();
      const families = parsePrometheusText(body);

      for (const family of families) {
        assert.match(family.name, /^hangar_(vm|host)_[a-z_]+$/);
        // Counters and only counters end in _total (promtool's rule): rate() is for them.
        assert.equal(family.type, family.name.endsWith('_total') ? 'COUNTER' : 'GAUGE', family.name);
        assert.ok(family.help.length > 0, `${family.name} has HELP`);
      }
      for (const field of VM_FIELDS) assert.ok(families.some((f) => f.name === `hangar_vm_${columnOf(field)}`), `hangar_vm_${columnOf(field)} is declared`);
      for (const column of COUNTER_COLUMNS) assert.ok(families.some((f) => f.name === `hangar_vm_${column}_total`), `hangar_vm_${column}_total is declared`);
      checkExposition(body);
      promtoolCheck(body);

      // The cumulative totals beside the gauges, the web VM's only: the quiet VM's are stale (it stopped).
      assert.equal(valueOf(families, 'hangar_vm_cpu_seconds_total', { vm_id: f.web }), 5_000_000_000);
      assert.equal(valueOf(families, 'hangar_vm_net_tx_packets_total', { vm_id: f.web }), 5_000_000_000 + COUNTER_COLUMNS.indexOf('net_tx_packets') * 1000.5);
      assert.deepEqual(find(families, 'hangar_vm_disk_read_ops_total', { vm_id: f.web }), [], 'a total the reading lacked is left out, not 0');
      for (const column of COUNTER_COLUMNS) assert.deepEqual(find(families, `hangar_vm_${column}_total`, { vm_id: f.quiet }), [], `no stale ${column}`);

      // The VM whose name needs escaping: labels round-trip through Prometheus' parser.
      const web = { vm_id: f.web };
      const [state] = find(families, 'hangar_vm_state', web);
      assert.deepEqual(state.labels, { vm_id: f.web, vm: TRICKY_NAME, host_id: f.hv1, host: 'hv1', state: 'running' });
      assert.equal(Number(state.value), 1);
      assert.equal(valueOf(families, 'hangar_vm_vcpus', web), 2);
      assert.equal(valueOf(families, 'hangar_vm_memory_bytes', web), 2048 * MiB);
      assert.equal(valueOf(families, 'hangar_vm_disk_bytes', web), 20 * GiB);
      assert.equal(valueOf(families, 'hangar_vm_cpu_percent', web), 42.5);
      assert.equal(valueOf(families, 'hangar_vm_disk_read_bytes_per_second', web), VM_FIELDS.indexOf('diskReadBytesPerSecond'));
      assert.equal(valueOf(families, 'hangar_vm_net_tx_packets_per_second', web), VM_FIELDS.indexOf('netTxPacketsPerSecond'));
      // Missing from the newest sample: the newest recent one that has it, never the hour-old one.
      assert.equal(valueOf(families, 'hangar_vm_memory_used_bytes', web), 1.5 * GiB);
      assert.equal(valueOf(families, 'hangar_vm_memory_available_bytes', web), 100 + VM_FIELDS.indexOf('memoryAvailableBytes'));

      // Stale samples are left out; the VM's allocation and state are still there.
      const quiet = { vm_id: f.quiet };
      assert.equal(valueOf(families, 'hangar_vm_state', { ...quiet, state: 'stopped', vm: 'quiet' }), 1);
      assert.equal(valueOf(families, 'hangar_vm_vcpus', quiet), 2);
      for (const field of VM_FIELDS) assert.deepEqual(find(families, `hangar_vm_${columnOf(field)}`, quiet), [], `no stale ${field}`);

      // A deleted VM does not appear at all.
      for (const family of families) assert.deepEqual(find(families, family.name, { vm_id: f.gone }), [], `${family.name} of a deleted VM`);

      const hv1 = { host_id: f.hv1, host: 'hv1' };
      assert.equal(valueOf(families, 'hangar_host_status', { ...hv1, status: 'online' }), 1);
      assert.equal(valueOf(families, 'hangar_host_maintenance', hv1), 0);
      assert.equal(valueOf(families, 'hangar_host_cpus', hv1), 16);
      assert.equal(valueOf(families, 'hangar_host_memory_bytes', hv1), 64 * GiB);
      assert.equal(valueOf(families, 'hangar_host_allocatable_vcpus', hv1), 64);
      assert.equal(valueOf(families, 'hangar_host_allocatable_memory_bytes', hv1), 96 * GiB);
      assert.equal(valueOf(families, 'hangar_host_cpu_percent', hv1), 12.25);
      assert.equal(valueOf(families, 'hangar_host_memory_total_bytes', hv1), 64 * GiB);
      assert.equal(valueOf(families, 'hangar_host_vms_running', hv1), 1);
      assert.equal(valueOf(families, 'hangar_host_net_tx_bytes_per_second', hv1), 40);

      // A host never read and long silent: status and maintenance only.
      const hv2 = { host_id: f.hv2, host: 'hv2' };
      assert.equal(valueOf(families, 'hangar_host_status', { ...hv2, status: 'offline' }), 1);
      assert.equal(valueOf(families, 'hangar_host_maintenance', hv2), 1);
      for (const name of ['hangar_host_cpus', 'hangar_host_memory_bytes', 'hangar_host_allocatable_vcpus', 'hangar_host_cpu_percent', 'hangar_host_vms_running']) {
        assert.deepEqual(find(families, name, hv2), [], `no ${name} for hv2`);
      }
    });

    test('without a token, or with a wrong one, the answer is 401 with a Bearer challenge', async () => {
      const t = hangar();
      const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer hgt_not-a-real-token' }, { authorization: 'Basic YWRtaW46YWRtaW4=' }];
      for (const headers of attempts) {
        const response = await scrape(t, headers);
        assert.equal(response.status, 401, JSON.stringify(headers));
        assert.match(response.headers.get('www-authenticate') ?? '', /^Bearer\b/);
        assert.doesNotMatch(await response.text(), /hangar_/);
      }
    });

    test('a session cookie is refused, also as a Bearer token: scrapers use API tokens', async () => {
      const t = hangar();
      const byCookie = await scrape(t, { cookie: f.adminCookie });
      assert.equal(byCookie.status, 401);
      assert.match(byCookie.headers.get('www-authenticate') ?? '', /^Bearer\b/);
      const sessionSecret = decodeURIComponent(f.adminCookie.slice(f.adminCookie.indexOf('=') + 1));
      const bySecret = await scrape(t, { authorization: `Bearer ${sessionSecret}` });
      assert.equal(bySecret.status, 401);
      // The cookie still works where it belongs.
      assert.equal((await t.gql('{ me { email } }', {}, { cookie: f.adminCookie })).data.me.email, ADMIN.email);
    });

    test('a token without Metrics.Read gets 403, even an administrator\'s', async () => {
      const t = hangar();
      for (const token of [f.userToken, f.adminTokenWithoutMetrics]) {
        const response = await scrape(t, { authorization: `Bearer ${token}` });
        assert.equal(response.status, 403);
        assert.match(response.headers.get('www-authenticate') ?? '', /insufficient_scope/);
        assert.doesNotMatch(await response.text(), /hangar_/);
      }
    });

    test('HEAD answers like GET without a body; other methods get 405', async () => {
      const t = hangar();
      const head = await scrape(t, { authorization: `Bearer ${f.auditorToken}` }, 'HEAD');
      assert.equal(head.status, 200);
      assert.equal(head.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      assert.equal(await head.text(), '');
      assert.equal((await scrape(t, {}, 'HEAD')).status, 401);
      const post = await scrape(t, { authorization: `Bearer ${f.auditorToken}` }, 'POST');
      assert.equal(post.status, 405);
      assert.equal(post.headers.get('allow'), 'GET, HEAD');
    });
  });
}
