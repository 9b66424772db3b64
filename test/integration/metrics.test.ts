// The collector on a real libvirtd with running TCG guests: one that keeps its vCPU and disk busy
// and one that halts. Collectors run as their own processes (Postgres, Redis), as in production.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { leaseHolders } from '../../server/collector/leases.ts';
import { setupAdmin, startTestHangar, subscribe, userWithRole, wsClient, type TestHangar } from '../support/hangar.ts';
import { rawId, removeLeftoverVms, virsh, vmMutation, waitFor } from '../support/libvirt.ts';
import { makeBusyIso, makeIdleIso } from '../support/poweroff-iso.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const MAIN = fileURLToPath(new URL('../../server/main.ts', import.meta.url));
const ISO_DIR = '/var/lib/libvirt/images/hangar-test';
const INTERVAL_MS = 1000;
const SAMPLE = 'vmId at cpuPercent memoryUsedBytes memoryAvailableBytes diskReadBytesPerSecond diskWriteBytesPerSecond diskReadOpsPerSecond diskWriteOpsPerSecond netRxBytesPerSecond netTxBytesPerSecond netRxPacketsPerSecond netTxPacketsPerSecond disks { name readBytesPerSecond } nics { name }';
const CREATE = `mutation($i: CreateVmInput!) { createVm(input: $i) { __typename ... on VmTaskPayload { vm { id name state } task { id status error } } ... on Error { message } } }`;
const action = (name: string) => `mutation($id: ID!) { ${name}(id: $id) { __typename ... on VmTaskPayload { vm { id } task { id status error } } ... on Error { message } } }`;

interface CollectorProcess {
  child: ChildProcess;
  logs: string[];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('metrics from a real libvirtd (collector processes, Postgres, Redis)', () => {
  let t: TestHangar;
  let admin: string;
  let busyId = '';
  let idleId = '';
  let hostId = '';
  const collectors: CollectorProcess[] = [];

  function startCollector(): CollectorProcess {
    const env = { ...process.env, ...t.env, LOG_LEVEL: 'info' };
    const child = spawn(process.execPath, [MAIN, 'collector'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const logs: string[] = [];
    const keep = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    const collector = { child, logs };
    collectors.push(collector);
    return collector;
  }

  /** The cumulative totals /metrics exports for a VM (vm_metric_counters). */
  async function countersOf(vmId: string) {
    return t.hangar.db.selectFrom('vm_metric_counters').selectAll().where('vm_id', '=', rawId(vmId)).executeTakeFirst();
  }

  /** The id of a collector process as it names itself in the lease table (host-pid-random). */
  async function holderOf(host: string): Promise<string | null> {
    return (await leaseHolders(t.hangar.db)).get(host) ?? null;
  }

  async function samplesOf(vmId: string, forMs: number, auth = { cookie: admin }) {
    const client = wsClient(t.url, auth);
    const sub = subscribe(client, `subscription($id: ID!) { vmMetrics(id: $id) { ${SAMPLE} } }`, { id: vmId });
    await sleep(forMs);
    await client.dispose();
    return sub.events.map((e) => {
      assert.equal(e.errors, undefined, JSON.stringify(e.errors));
      return e.data.vmMetrics;
    });
  }

  before(async () => {
    // A second host is this libvirt again under another URI (?socket= needs the installation's leave).
    t = await startTestHangar('postgres', { HANGAR_METRICS_INTERVAL_SECONDS: String(INTERVAL_MS / 1000), HANGAR_METRICS_SLOW_EVERY: '2', HANGAR_RECONCILE_SECONDS: '1', HANGAR_HOST_URI_ALLOWED_PARAMS: 'socket' }, { processes: ['api', 'worker'], registerLocalHost: true });
    admin = await setupAdmin(t);
    const [busyIso, idleIso] = await Promise.all([makeBusyIso(ISO_DIR), makeIdleIso(ISO_DIR)]);
    const busy = await vmMutation(t, admin, CREATE, { i: { name: 'busy', vcpus: 1, memoryMb: 128, diskGb: 1, isoPath: busyIso } });
    const idle = await vmMutation(t, admin, CREATE, { i: { name: 'idle', vcpus: 1, memoryMb: 128, diskGb: 1, isoPath: idleIso } });
    assert.equal(busy.task.status, 'SUCCEEDED', JSON.stringify(busy.task));
    assert.equal(idle.task.status, 'SUCCEEDED', JSON.stringify(idle.task));
    busyId = busy.vmId;
    idleId = idle.vmId;
    hostId = (await t.gql('{ hosts { id name } }', {}, { cookie: admin })).data.hosts.find((h: any) => h.name === 'local').id;
    startCollector();
  });

  after(async () => {
    for (const c of collectors) {
      c.child.kill('SIGCONT');
      c.child.kill('SIGKILL');
    }
    if (t) await removeLeftoverVms(t);
    await t?.stop();
  });

  test('a subscriber gets a sample of each VM every interval: the busy guest shows high CPU and disk reads, the idle one low', async () => {
    await waitFor('the collector to sample', async () => (await holderOf(rawId(hostId))) !== null, 15_000);
    const [busy, idle] = await Promise.all([samplesOf(busyId, 8000), samplesOf(idleId, 8000)]);
    for (const samples of [busy, idle]) {
      assert.ok(samples.length >= 5, `${samples.length} samples in 8 s`);
      const gaps = samples.slice(1).map((s, i) => Date.parse(s.at) - Date.parse(samples[i].at));
      // The mean: a sample each interval. The median: not every other one late (a slow reading
      // started with the fast one once made the gaps 0.5 s, 1.5 s, 0.5 s, …).
      const mean = (Date.parse(samples.at(-1).at) - Date.parse(samples[0].at)) / gaps.length;
      assert.ok(mean >= 800 && mean <= 1400 && median(gaps) >= 750, `intervals ${gaps.join(', ')} ms`);
    }
    const busyCpu = busy.map((s) => s.cpuPercent).filter((v) => v !== null);
    const idleCpu = idle.map((s) => s.cpuPercent).filter((v) => v !== null);
    // The busy guest gets what the machine spares it: a whole core alone, about a third of one when
    // the other test files' guests run too (CI). Either way it is far above the idle one.
    assert.ok(median(busyCpu) > 20 && median(busyCpu) > 4 * Math.max(median(idleCpu), 1), `busy guest CPU ${busyCpu.join(', ')}; idle ${idleCpu.join(', ')}`);
    assert.ok(median(idleCpu) < 15, `idle guest CPU ${idleCpu.join(', ')}`);
    assert.ok(busyCpu.every((v) => v <= 100) && idleCpu.every((v) => v >= 0));
    const busyReads = busy.map((s) => s.diskReadBytesPerSecond).filter((v) => v !== null);
    assert.ok(busyReads.length > 0 && Math.max(...busyReads) > 10_000, `busy guest disk reads ${busyReads.join(', ')} B/s`);
    assert.ok(busy.at(-1).disks.some((d: any) => d.name === 'vda' && d.readBytesPerSecond > 0), JSON.stringify(busy.at(-1).disks));
    const idleReads = idle.map((s) => s.diskReadBytesPerSecond).filter((v) => v !== null);
    assert.ok(idleReads.every((v) => v < 1000), `idle guest disk reads ${idleReads.join(', ')} B/s`);
    assert.ok(busy.every((s) => s.memoryAvailableBytes === null || s.memoryAvailableBytes > 64 * 1024 ** 2));
  });

  test('host and cluster subscriptions: the host\u2019s figures each interval, dashboard totals with the busiest VM first', async () => {
    const client = wsClient(t.url, { cookie: admin });
    const host = subscribe(client, 'subscription($id: ID!) { hostMetrics(id: $id) { hostId at cpuPercent memoryUsedBytes memoryTotalBytes vmsRunning diskReadBytesPerSecond } }', { id: hostId });
    const cluster = subscribe(client, 'subscription { clusterMetrics { at hostsUp hostsTotal cpusTotal vcpusTotal cpuPercent vcpusAllocated memoryAllocatedBytes memoryAllocatableBytes vmsByState { state count } busiestVms { vmId cpuPercent } } }');
    const first = (await cluster.next(3000)).data.clusterMetrics;
    assert.equal(first.hostsUp, 1);
    // Capacity as the host page and placement count it: CPUs × overcommit, from Host.capacity.
    const { capacity } = (await t.gql('query($id: ID!) { node(id: $id) { ... on Host { capacity { cpus cpuOvercommit vcpus allocatableMemoryMb } } } }', { id: hostId }, { cookie: admin })).data.node;
    assert.equal(capacity.vcpus, Math.floor(capacity.cpus * capacity.cpuOvercommit));
    assert.deepEqual([first.cpusTotal, first.vcpusTotal, first.memoryAllocatableBytes], [capacity.cpus, capacity.vcpus, capacity.allocatableMemoryMb * 1024 ** 2]);
    assert.equal(first.vmsByState.find((s: any) => s.state === 'RUNNING')?.count, 2);
    assert.equal(first.vcpusAllocated, 2);
    assert.equal(first.memoryAllocatedBytes, 256 * 1024 ** 2);
    const h1 = (await host.next(3000)).data.hostMetrics;
    const h2 = (await host.next(3000)).data.hostMetrics;
    assert.equal(h1.hostId, hostId);
    assert.ok(Date.parse(h2.at) > Date.parse(h1.at));
    assert.ok(h2.cpuPercent > 0 && h2.cpuPercent <= 100, JSON.stringify(h2));
    assert.ok(h2.memoryTotalBytes > 1024 ** 3 && h2.memoryUsedBytes > 0 && h2.memoryUsedBytes < h2.memoryTotalBytes, JSON.stringify(h2));
    assert.equal(h2.vmsRunning, 2);
    assert.ok(h2.diskReadBytesPerSecond >= 0);
    const second = (await cluster.next(3000)).data.clusterMetrics;
    assert.ok(Date.parse(second.at) > Date.parse(first.at));
    assert.equal(second.busiestVms[0]?.vmId, busyId, JSON.stringify(second.busiestVms));
    assert.ok(second.cpuPercent > 0 && second.vcpusTotal > 0);
    await client.dispose();
  });

  test('a list reads each VM\u2019s newest sample; the cluster\u2019s history is raw for the last hour, hourly for a month', async () => {
    await waitFor('samples of the busy VM', async () => {
      const { data } = await t.gql('{ vms(first: 20) { edges { node { id latestMetrics { at cpuPercent } } } } }', {}, { cookie: admin });
      const busy = data.vms.edges.find((e: any) => e.node.id === busyId).node.latestMetrics;
      return busy?.cpuPercent > 50 && Date.now() - Date.parse(busy.at) < 3 * INTERVAL_MS + 1000;
    }, 15_000, 250);
    const month = await t.gql('query($from: DateTime!) { clusterMetricsHistory(from: $from) { resolutionSeconds } }', { from: new Date(Date.now() - 30 * 86400_000).toISOString() }, { cookie: admin });
    assert.equal(month.data.clusterMetricsHistory.resolutionSeconds, 3600);
    const recent = await t.gql('query($from: DateTime!) { clusterMetricsHistory(from: $from) { resolutionSeconds times series { name avg } } }', { from: new Date(Date.now() - 3600_000).toISOString() }, { cookie: admin });
    assert.equal(recent.data.clusterMetricsHistory.resolutionSeconds, INTERVAL_MS / 1000);
    const cpu = recent.data.clusterMetricsHistory.series.find((s: any) => s.name === 'cpuPercent').avg;
    assert.ok(recent.data.clusterMetricsHistory.times.length >= 2 && cpu.some((v: number | null) => v != null && v > 0), JSON.stringify(cpu.slice(-5)));
    // Host figures need Host.View.
    const user = await userWithRole(t, admin, 'User');
    const refused = await t.gql('query($from: DateTime!) { clusterMetricsHistory(from: $from) { times } }', { from: new Date(Date.now() - 3600_000).toISOString() }, { cookie: user.cookie });
    assert.ok(refused.errors?.length && !refused.data?.clusterMetricsHistory, JSON.stringify(refused));
  });

  test('history: the VM\u2019s raw samples come back as columns ready to plot', async () => {
    const from = new Date(Date.now() - 10 * 60_000).toISOString();
    const { data, errors } = await t.gql('query($id: ID!, $from: DateTime!) { node(id: $id) { ... on Vm { metrics(from: $from) { resolutionSeconds times series { name avg max } } } } }', { id: busyId, from }, { cookie: admin });
    assert.equal(errors, undefined, JSON.stringify(errors));
    const history = data.node.metrics;
    assert.equal(history.resolutionSeconds, 1);
    assert.ok(history.times.length >= 8, `${history.times.length} points`);
    const cpu = history.series.find((s: any) => s.name === 'cpuPercent');
    assert.equal(cpu.avg.length, history.times.length);
    const busyHistory = cpu.avg.filter((v: number | null) => v !== null);
    assert.ok(median(busyHistory) > 20, `busy guest CPU history ${busyHistory.join(', ')}`); // see the first test
    const reversed = await t.gql('query($id: ID!, $from: DateTime!, $to: DateTime!) { node(id: $id) { ... on Vm { metrics(from: $from, to: $to) { times } } } }', { id: busyId, from, to: new Date(Date.now() - 3600_000 * 2).toISOString() }, { cookie: admin });
    assert.match(reversed.errors?.[0]?.message ?? '', /to must be after from/);
  });

  test('a restarted VM (counters back to zero) never shows a negative or giant rate', async () => {
    const client = wsClient(t.url, { cookie: admin });
    const sub = subscribe(client, `subscription($id: ID!) { vmMetrics(id: $id) { ${SAMPLE} } }`, { id: busyId });
    await sub.next(3000);
    const beforeStop = await countersOf(busyId);
    const stopped = await vmMutation(t, admin, action('stopVm'), { id: busyId });
    assert.equal(stopped.task.status, 'SUCCEEDED', JSON.stringify(stopped.task));
    await sleep(1500);
    const started = await vmMutation(t, admin, action('startVm'), { id: busyId });
    assert.equal(started.task.status, 'SUCCEEDED', JSON.stringify(started.task));
    await sleep(6000);
    await client.dispose();
    const samples = sub.events.map((e) => e.data.vmMetrics);
    const figures = ['cpuPercent', 'diskReadBytesPerSecond', 'diskWriteBytesPerSecond', 'diskReadOpsPerSecond', 'netRxBytesPerSecond', 'netTxBytesPerSecond'];
    for (const s of samples) {
      for (const f of figures) assert.ok(s[f] === null || (s[f] >= 0 && s[f] < 2e9), `${f} = ${s[f]} at ${s.at}`);
      assert.ok(s.cpuPercent === null || s.cpuPercent <= 100);
    }
    const after = samples.filter((s) => Date.parse(s.at) > Date.now() - 4000).map((s) => s.cpuPercent).filter((v) => v !== null);
    assert.ok(after.length > 0 && Math.max(...after) > 20, `CPU after the restart: ${after.join(', ')}`); // busy again (see the first test)
    // The exported totals start again from zero with the new QEMU process: a counter reset, which
    // Prometheus' rate() handles; the collector never invents a total of its own.
    const afterStart = await countersOf(busyId);
    const libvirtCpuSeconds = Number(/cpu\.time=(\d+)/.exec(await virsh('domstats', '--raw', '--cpu-total', rawId(busyId)))![1]) / 1e9;
    assert.ok(beforeStop && afterStart && afterStart.at > beforeStop.at, 'totals read before and after the restart');
    // libvirt's own figure, read a moment later: the stored total trails it by at most an interval's CPU time.
    assert.ok(afterStart.cpu_seconds! <= libvirtCpuSeconds && libvirtCpuSeconds - afterStart.cpu_seconds! < 3, `stored ${afterStart.cpu_seconds} s, libvirt ${libvirtCpuSeconds} s`);
  });

  test('every subscription checks the caller: another user sees neither the VM, nor the host, nor the admin\u2019s totals', async () => {
    const user = await userWithRole(t, admin, 'User');
    const client = wsClient(t.url, { cookie: user.cookie });
    const vm = subscribe(client, `subscription($id: ID!) { vmMetrics(id: $id) { cpuPercent } }`, { id: busyId });
    await vm.closed;
    assert.equal(vm.events[0]?.errors?.[0]?.extensions?.code, 'NOT_FOUND');
    assert.equal(vm.events.some((e) => e.data?.vmMetrics), false);
    const host = subscribe(client, `subscription($id: ID!) { hostMetrics(id: $id) { cpuPercent } }`, { id: hostId });
    await host.closed;
    assert.equal(host.events[0]?.errors?.[0]?.extensions?.code, 'FORBIDDEN');
    const cluster = subscribe(client, 'subscription { clusterMetrics { hostsUp vcpusTotal cpuPercent vcpusAllocated vmsByState { state count } busiestVms { vmId } } }');
    const totals = (await cluster.next(3000)).data.clusterMetrics;
    assert.deepEqual(totals, { hostsUp: null, vcpusTotal: null, cpuPercent: null, vcpusAllocated: 0, vmsByState: [], busiestVms: [] });
    await client.dispose();
    const history = await t.gql('query($id: ID!, $from: DateTime!) { node(id: $id) { ... on Vm { metrics(from: $from) { times } } } }', { id: busyId, from: new Date(Date.now() - 60_000).toISOString() }, { cookie: user.cookie });
    assert.equal(history.data?.node ?? null, null);
    assert.equal(history.errors?.[0]?.extensions?.code, 'NOT_FOUND');
  });

  test('collectors share the hosts; a killed collector\u2019s host is taken over within two intervals', async () => {
    const second = await t.gql('mutation($i: AddHostInput!) { addHost(input: $i) { __typename ... on Host { id } ... on Error { message } } }', { i: { name: 'second', uri: 'qemu:///system?socket=/var/run/libvirt/libvirt-sock' } }, { cookie: admin });
    assert.equal(second.data.addHost.__typename, 'Host', JSON.stringify(second));
    const secondId = rawId(second.data.addHost.id);
    const b = startCollector();
    // Its start-up (a Node process loading Hangar) is not what this test times: wait until it is in.
    await waitFor('the second collector to start', async () => {
      const rows = await t.hangar.db.selectFrom('collectors').select('id').execute();
      return rows.some((r) => r.id.includes(`-${b.child.pid}-`));
    }, 30_000, 100);
    // Two collectors, two hosts: one each.
    await waitFor('the hosts to be shared out', async () => {
      const holders = await leaseHolders(t.hangar.db);
      const ids = [holders.get(rawId(hostId)), holders.get(secondId)];
      return ids[0] && ids[1] && ids[0] !== ids[1];
    }, 15_000, 200).catch(async (error: Error) => {
      // What each collector did says why: one that never started, or leases that kept moving.
      const holders = JSON.stringify([...(await leaseHolders(t.hangar.db))]);
      const logs = collectors.map((c) => `collector ${c.child.pid} (exit ${c.child.exitCode ?? c.child.signalCode ?? 'running'}):\n${c.logs.slice(-15).join('\n')}`).join('\n');
      throw new Error(`${error.message}; leases ${holders}\n${logs}`);
    });
    const holder = (await holderOf(rawId(hostId)))!;
    const victim = collectors.find((c) => holder.includes(`-${c.child.pid}-`))!;
    assert.ok(victim, `a collector process named ${holder}`);
    const survivor = collectors.find((c) => c !== victim && c.child.exitCode === null)!;

    const client = wsClient(t.url, { cookie: admin });
    const sub = subscribe(client, `subscription($id: ID!) { vmMetrics(id: $id) { at } }`, { id: idleId });
    await sub.next(3000);
    const totalsBefore = await countersOf(idleId);
    // The busy guest takes a whole core; with another test file's guests on the other one, the
    // survivor could wait seconds for the CPU (CI saw 4.1 s). Paused, it takes none.
    await virsh('suspend', rawId(busyId));
    let taken: string;
    let killedAt: number;
    let takeoverMs: number;
    try {
      victim.child.kill('SIGKILL');
      killedAt = Date.now();
      taken = await waitFor('another collector to take the host', async () => {
        const now = await holderOf(rawId(hostId));
        return now && now !== holder ? now : null;
      }, 10_000, 50);
      takeoverMs = Date.now() - killedAt;
    } finally {
      await virsh('resume', rawId(busyId));
    }
    assert.ok(taken.includes(`-${survivor.child.pid}-`));
    // Leases make it at most 1⅓ intervals (metrics-store.test.ts checks the rule itself); the extra
    // second allows for a loaded CI machine.
    assert.ok(takeoverMs <= 2 * INTERVAL_MS + 1000, `taken over after ${takeoverMs} ms`);
    // Samples flow again from the survivor.
    const seen = sub.events.length;
    await waitFor('a sample after the takeover', async () => sub.events.length > seen + 1 && sub.events.at(-1).data.vmMetrics.at > new Date(killedAt).toISOString(), 5000, 50);
    // The survivor's totals go on from the dead collector's: they are libvirt's, not the collector's.
    const totalsAfter = await countersOf(idleId);
    assert.ok(totalsBefore && totalsAfter && totalsAfter.at.getTime() > killedAt, 'totals stored after the takeover');
    for (const column of ['cpu_seconds', 'net_rx_bytes', 'net_rx_packets'] as const) {
      assert.ok(totalsAfter[column]! >= totalsBefore[column]!, `${column}: ${totalsBefore[column]} before the takeover, ${totalsAfter[column]} after`);
    }
    assert.ok(totalsAfter.cpu_seconds! > totalsBefore.cpu_seconds!, 'the CPU total grew');
    await client.dispose();
    assert.ok(b.child.exitCode === null || victim === b);
  });

  test('a stopped collector leaves the API\u2019s latency unchanged', async () => {
    const query = '{ vms(first: 50) { edges { node { id name state host { name } } } } }';
    const timings = async (count: number) => {
      const ms: number[] = [];
      for (let i = 0; i < count; i++) {
        const start = performance.now();
        const r = await t.gql(query, {}, { cookie: admin });
        assert.equal(r.errors, undefined);
        ms.push(performance.now() - start);
      }
      return ms;
    };
    await timings(10); // warm up
    const live = collectors.filter((c) => c.child.exitCode === null && c.child.signalCode === null);
    assert.ok(live.length > 0);
    // Running and stopped in turns, so a change in the machine's load (other test files, guests
    // booting) weighs on both alike. Under a burst of load (CI saw 12.6 ms running, 24.6 ms stopped
    // while the fault tests booted guests; 3 ms each alone) a measurement is taken again, up to three
    // times: a collector that really held the API up would fail all three.
    const measure = async () => {
      const running: number[] = [];
      const stopped: number[] = [];
      for (let turn = 0; turn < 4; turn++) {
        running.push(...(await timings(20)));
        for (const c of live) c.child.kill('SIGSTOP');
        try {
          stopped.push(...(await timings(20)));
          if (turn === 3) {
            // The dashboard keeps answering too (it reads the database, not the collector).
            const client = wsClient(t.url, { cookie: admin });
            const cluster = subscribe(client, 'subscription { clusterMetrics { vcpusAllocated } }');
            assert.equal((await cluster.next(3000)).data.clusterMetrics.vcpusAllocated, 2);
            await client.dispose();
          }
        } finally {
          for (const c of live) c.child.kill('SIGCONT');
        }
      }
      return [median(running), median(stopped)];
    };
    const seen: string[] = [];
    let unchanged = false;
    for (let attempt = 0; attempt < 3 && !unchanged; attempt++) {
      const [before, during] = await measure();
      seen.push(`median ${before.toFixed(1)} ms with the collector running, ${during.toFixed(1)} ms stopped`);
      unchanged = during <= before * 1.5 + 3;
    }
    assert.ok(unchanged, seen.join('; '));
  });
});
