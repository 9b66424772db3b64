import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { domainNameOf, syntheticReading, vmIdOf } from '../../scripts/bench/lib/domstats-feed.ts';
import { FAST_READING, MARKER, oneShotCommand, parseHostReading, SLOW_READING } from '../../server/hypervisor/domstats.ts';
import { HostRates } from '../../server/collector/rates.ts';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/domstats/${name}`, import.meta.url), 'utf8');
const idle1 = fixture('debian-idle-1.txt');
const idle2 = fixture('debian-idle-2.txt');
const fastAndNode = fixture('fast-and-node.txt');

/** The text with some `  key=value` stat lines given new values. */
function withStats(text: string, values: Record<string, number>): string {
  let out = text;
  for (const [key, value] of Object.entries(values)) {
    const line = new RegExp(`^  ${key.replaceAll('.', '\\.')}=.*$`, 'm');
    assert.match(out, line, `fixture has ${key}`);
    out = out.replace(line, `  ${key}=${value}`);
  }
  return out;
}

/** A fast reading (no block, balloon or vcpu groups) cut from a full domstats text. */
function fastOf(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^ {2}(block|balloon|vcpu|dirtyrate)\./.test(line))
    .join('\n');
}

const near = (actual: number | null | undefined, expected: number, message?: string) => {
  assert.equal(typeof actual, 'number', message ?? 'a number');
  assert.ok(Math.abs((actual as number) - expected) < 1e-9 * Math.max(1, Math.abs(expected)), `${message ?? ''} ${actual} ≠ ${expected}`);
};

test('a fast reading is domains, node cpu and node memory (one virsh process when no shell serves); disks and memory are read on their own', () => {
  assert.deepEqual(FAST_READING, [['domstats', '--raw', '--state', '--cpu-total', '--interface'], ['nodecpustats'], ['nodememstats']]);
  assert.equal(oneShotCommand(FAST_READING), 'domstats --raw --state --cpu-total --interface ; echo ---hangar--- ; nodecpustats ; echo ---hangar--- ; nodememstats');
  assert.ok(!FAST_READING.flat().some((arg) => ['--block', '--balloon', '--vcpu'].includes(arg)));
  assert.deepEqual(SLOW_READING, [['domstats', '--raw', '--block', '--balloon']]);
  assert.equal(oneShotCommand(SLOW_READING), 'domstats --raw --block --balloon');
  assert.equal(MARKER, '---hangar---');
});

test('a full domstats reading of an idle Debian guest parses to its counters', () => {
  const reading = parseHostReading(idle1);
  assert.equal(reading.node, null);
  assert.deepEqual(reading.domains, [
    {
      name: 'hangar-rec-0001',
      state: 1,
      cpuTimeNs: 28634950000,
      vcpus: 1,
      balloon: { currentKiB: 524288, availableKiB: 468524, usableKiB: 412656, unusedKiB: 341348 },
      blocks: [{ name: 'vda', readBytes: 111430656, writeBytes: 3035136, readOps: 5223, writeOps: 168 }],
      nics: [{ name: 'vnet1', rxBytes: 2078, txBytes: 1976, rxPackets: 35, txPackets: 12 }],
    },
  ]);
  const later = parseHostReading(idle2).domains[0];
  assert.equal(later.cpuTimeNs, 28772497000);
  assert.deepEqual(later.blocks, [{ name: 'vda', readBytes: 111430656, writeBytes: 3051520, readOps: 5223, writeOps: 170 }]);
  assert.deepEqual(later.nics, [{ name: 'vnet1', rxBytes: 2234, txBytes: 1976, rxPackets: 38, txPackets: 12 }]);
});

test('a fast reading has no disk, memory or vCPU groups, and carries the node sections', () => {
  const reading = parseHostReading(fastAndNode);
  assert.deepEqual(reading.domains, [
    {
      name: 'hangar-rec-0001',
      state: 1,
      cpuTimeNs: 28574725000,
      vcpus: null,
      balloon: null,
      blocks: null,
      nics: [{ name: 'vnet1', rxBytes: 2026, txBytes: 1976, rxPackets: 34, txPackets: 12 }],
    },
  ]);
  assert.deepEqual(reading.node, {
    cpu: { userNs: 7105300000000, systemNs: 2706620000000, idleNs: 13929490000000, iowaitNs: 61520000000 },
    memory: { totalKiB: 24684084, freeKiB: 22250348, buffersKiB: 13336, cachedKiB: 1015376 },
  });
});

test('a domain name with spaces and quotes is read between the first and the last quote', () => {
  // Recorded from libvirt 9.0 for a defined, shut-off domain: its disk lists no I/O counters.
  const text = [
    "Domain: 'hangar-probe-it's a test'",
    '  state.state=5',
    '  state.reason=0',
    '  cpu.time=290000000',
    '  balloon.current=65536',
    '  balloon.maximum=65536',
    '  vcpu.current=2',
    '  vcpu.maximum=2',
    '  block.count=1',
    '  block.0.name=vda',
    '  block.0.path=/tmp/none.qcow2',
    '',
    "Domain: 'it''s'",
    '',
    "Domain: 'no stats'",
    '',
  ].join('\n');
  const { domains } = parseHostReading(text);
  assert.deepEqual(
    domains.map((domain) => domain.name),
    ["hangar-probe-it's a test", "it''s", 'no stats'],
  );
  assert.equal(domains[0].state, 5);
  assert.deepEqual(domains[0].balloon, { currentKiB: 65536, availableKiB: null, usableKiB: null, unusedKiB: null });
  assert.deepEqual(domains[0].blocks, []);
  assert.equal(domains[0].nics, null);
  assert.deepEqual(domains[2], { name: 'no stats', state: null, cpuTimeNs: null, vcpus: null, balloon: null, blocks: null, nics: null });
});

test('with --backing a disk is listed once, as its top image', () => {
  const text = [
    "Domain: 'a'",
    '  block.count=2',
    '  block.0.name=vda',
    '  block.0.path=/tmp/rec/disk.qcow2',
    '  block.0.backingIndex=1',
    '  block.0.rd.reqs=5472',
    '  block.0.rd.bytes=122805248',
    '  block.0.wr.reqs=263',
    '  block.0.wr.bytes=4530176',
    '  block.1.name=vda',
    '  block.1.path=/var/cache/hangar/test-images/debian-12.qcow2',
    '  block.1.backingIndex=2',
    '  block.1.allocation=0',
    '',
  ].join('\n');
  assert.deepEqual(parseHostReading(text).domains[0].blocks, [{ name: 'vda', readBytes: 122805248, writeBytes: 4530176, readOps: 5472, writeOps: 263 }]);
});

test('rates between the two idle Debian readings 5 s apart match the counters worked by hand', () => {
  const rates = new HostRates();
  const first = rates.observe(parseHostReading(idle1), 0).vms.get('hangar-rec-0001');
  assert.ok(first);
  assert.equal(first.cpuPercent, null);
  assert.equal(first.diskWriteBytesPerSecond, null);
  assert.equal(first.netRxBytesPerSecond, null);
  // Memory is a level, not a rate: known from the first reading.
  assert.equal(first.memoryAvailableBytes, 468524 * 1024);
  assert.equal(first.memoryUsedBytes, (468524 - 412656) * 1024);

  const vm = rates.observe(parseHostReading(idle2), 5000).vms.get('hangar-rec-0001');
  assert.ok(vm);
  // cpu.time 28772497000 − 28634950000 = 137547000 ns over 5 s on 1 vCPU = 2.75094 %.
  near(vm.cpuPercent, 2.75094, 'cpu');
  assert.equal(vm.memoryAvailableBytes, 479768576);
  assert.equal(vm.memoryUsedBytes, 57208832);
  // wr.bytes +16384, wr.reqs +2, reads unchanged.
  near(vm.diskReadBytesPerSecond, 0);
  near(vm.diskWriteBytesPerSecond, 3276.8);
  near(vm.diskReadOpsPerSecond, 0);
  near(vm.diskWriteOpsPerSecond, 0.4);
  assert.deepEqual(vm.disks, [{ name: 'vda', readBytesPerSecond: 0, writeBytesPerSecond: 3276.8, readOpsPerSecond: 0, writeOpsPerSecond: 0.4 }]);
  // rx.bytes +156, rx.pkts +3, tx unchanged.
  near(vm.netRxBytesPerSecond, 31.2);
  near(vm.netRxPacketsPerSecond, 0.6);
  near(vm.netTxBytesPerSecond, 0);
  near(vm.netTxPacketsPerSecond, 0);
  assert.deepEqual(vm.nics.map((nic) => nic.name), ['vnet1']);
});

test('a restarted VM (counters drop) gives null for that interval, never a negative, and sane rates after', () => {
  const rates = new HostRates();
  rates.observe(parseHostReading(idle1), 0);
  const restarted = withStats(idle2, {
    'cpu.time': 1_000_000_000,
    'net.0.rx.bytes': 100,
    'net.0.rx.pkts': 2,
    'net.0.tx.bytes': 50,
    'net.0.tx.pkts': 1,
    'block.0.rd.reqs': 300,
    'block.0.rd.bytes': 5_000_000,
    'block.0.wr.reqs': 3,
    'block.0.wr.bytes': 4096,
  });
  const vm = rates.observe(parseHostReading(restarted), 5000).vms.get('hangar-rec-0001');
  assert.ok(vm);
  for (const field of ['cpuPercent', 'diskReadBytesPerSecond', 'diskWriteOpsPerSecond', 'netRxBytesPerSecond', 'netTxPacketsPerSecond'] as const) {
    assert.equal(vm[field], null, field);
  }
  assert.deepEqual(vm.disks, []);
  assert.deepEqual(vm.nics, []);

  const after = withStats(restarted, { 'cpu.time': 1_500_000_000, 'net.0.rx.bytes': 600, 'block.0.rd.bytes': 10_000_000, 'block.0.rd.reqs': 310 });
  const next = rates.observe(parseHostReading(after), 10_000).vms.get('hangar-rec-0001');
  assert.ok(next);
  near(next.cpuPercent, 10);
  near(next.netRxBytesPerSecond, 100);
  near(next.diskReadBytesPerSecond, 1_000_000);
  near(next.diskReadOpsPerSecond, 2);
});

test('a VM seen shut off and then running starts from a new baseline', () => {
  const rates = new HostRates();
  rates.observe(parseHostReading(idle1), 0);
  const off = rates.observe(parseHostReading(withStats(idle2, { 'state.state': 5 })), 5000).vms.get('hangar-rec-0001');
  assert.ok(off);
  assert.equal(off.cpuPercent, null);
  assert.equal(off.memoryUsedBytes, null);
  // Back running with counters that happen to be higher than before: still no jump.
  const on = rates.observe(parseHostReading(withStats(idle2, { 'cpu.time': 90_000_000_000 })), 10_000).vms.get('hangar-rec-0001');
  assert.ok(on);
  assert.equal(on.cpuPercent, null);
  assert.equal(on.diskWriteBytesPerSecond, null);
  assert.equal(on.netRxBytesPerSecond, null);
  const next = rates.observe(parseHostReading(withStats(idle2, { 'cpu.time': 90_500_000_000 })), 15_000).vms.get('hangar-rec-0001');
  near(next?.cpuPercent, 10);
});

test('fast readings keep the disk and memory figures; disk rates span the time between slow readings', () => {
  const rates = new HostRates();
  rates.observe(parseHostReading(idle1), 0);
  const slow = rates.observe(parseHostReading(idle2), 5000).vms.get('hangar-rec-0001');
  assert.ok(slow);

  const fast = fastOf(withStats(idle2, { 'cpu.time': 28_772_497_000 + 500_000_000, 'net.0.rx.bytes': 2234 + 500 }));
  assert.equal(parseHostReading(fast).domains[0].blocks, null);
  const between = rates.observe(parseHostReading(fast), 10_000).vms.get('hangar-rec-0001');
  assert.ok(between);
  near(between.cpuPercent, 10);
  near(between.netRxBytesPerSecond, 100);
  assert.equal(between.diskWriteBytesPerSecond, slow.diskWriteBytesPerSecond);
  assert.equal(between.diskWriteOpsPerSecond, slow.diskWriteOpsPerSecond);
  assert.deepEqual(between.disks, slow.disks);
  assert.equal(between.memoryUsedBytes, 57208832);
  assert.equal(between.memoryAvailableBytes, 479768576);

  // The next slow reading, 10 s after the last one: +40960 bytes written → 4096 B/s.
  const nextSlow = withStats(idle2, { 'cpu.time': 28_772_497_000 + 1_000_000_000, 'net.0.rx.bytes': 2234 + 1000, 'block.0.wr.bytes': 3051520 + 40960, 'balloon.usable': 400000 });
  const vm = rates.observe(parseHostReading(nextSlow), 15_000).vms.get('hangar-rec-0001');
  assert.ok(vm);
  near(vm.diskWriteBytesPerSecond, 4096);
  near(vm.diskWriteOpsPerSecond, 0);
  assert.equal(vm.memoryUsedBytes, (468524 - 400000) * 1024);
});

test('disk counters merged from a slow reading are timed by that reading, not by the fast one they ride in', () => {
  const rates = new HostRates();
  const first = parseHostReading(idle1);
  first.domains[0].blocksAt = 400;
  rates.observe(first, 1000);
  // Read 4 s after the first (4400 − 400) though the fast reading is 5 s later: +40960 bytes → 10240 B/s.
  const second = parseHostReading(withStats(idle2, { 'block.0.wr.bytes': 3035136 + 40960 }));
  second.domains[0].blocksAt = 4400;
  const vm = rates.observe(second, 6000).vms.get('hangar-rec-0001');
  assert.ok(vm);
  near(vm.diskWriteBytesPerSecond, 10240);
  near(vm.cpuPercent, ((28_772_497_000 - parseHostReading(idle1).domains[0].cpuTimeNs!) / (5000 * 1e6)) * 100, 'cpu still spans the fast readings');
});

test('the vCPU count comes from the reading, else the last slow reading, else the caller, else 1', () => {
  const reading = (cpuTimeNs: number, vcpus?: number) =>
    parseHostReading(`Domain: 'a'\n  state.state=1\n  cpu.time=${cpuTimeNs}\n${vcpus ? `  vcpu.current=${vcpus}\n` : ''}`);
  const fromCaller = new HostRates();
  fromCaller.observe(reading(0), 0, () => 4);
  near(fromCaller.observe(reading(4e9), 1000, () => 4).vms.get('a')?.cpuPercent, 100);

  const remembered = new HostRates();
  remembered.observe(reading(0, 2), 0, () => 8);
  near(remembered.observe(reading(1e9), 1000, () => 8).vms.get('a')?.cpuPercent, 50);

  const alone = new HostRates();
  alone.observe(reading(0), 0);
  // 3 s of cpu in 1 s on what is assumed to be one vCPU: clamped to 100.
  assert.equal(alone.observe(reading(3e9), 1000).vms.get('a')?.cpuPercent, 100);
});

test('a domain missing from a reading is forgotten: when it comes back it starts over', () => {
  const rates = new HostRates();
  const atCpu = (text: string, cpu: number) => parseHostReading(text.replaceAll('cpu.time=28634950000', `cpu.time=${cpu}`));
  const both = `${idle1}\n${idle1.replace('hangar-rec-0001', 'other')}`;
  rates.observe(atCpu(both, 1e10), 0);
  assert.equal(rates.observe(atCpu(idle1, 1e10 + 1e9), 5000).vms.size, 1);
  const back = rates.observe(atCpu(both, 1e10 + 2e9), 10_000);
  assert.equal(back.vms.get('other')?.cpuPercent, null);
  assert.notEqual(back.vms.get('hangar-rec-0001')?.cpuPercent, null);
});

test('host figures come from nodecpustats and nodememstats', () => {
  const rates = new HostRates();
  const first = rates.observe(parseHostReading(fastAndNode), 0).host;
  assert.equal(first.cpuPercent, null);
  assert.equal(first.memoryTotalBytes, 24684084 * 1024);
  assert.equal(first.memoryUsedBytes, (24684084 - 22250348 - 13336 - 1015376) * 1024);
  // +30 s busy (20 user, 10 system) and +70 s idle/iowait of all CPUs together: 30 %.
  const later = fastAndNode
    .replace('7105300000000', String(7105300000000 + 20e9))
    .replace('2706620000000', String(2706620000000 + 10e9))
    .replace('13929490000000', String(13929490000000 + 69e9))
    .replace('61520000000\n', `${61520000000 + 1e9}\n`);
  near(rates.observe(parseHostReading(later), 5000).host.cpuPercent, 30);
  // A rebooted host: counters smaller than before.
  assert.equal(rates.observe(parseHostReading(fastAndNode.replace('7105300000000', '1000')), 10_000).host.cpuPercent, null);
});

test('the benchmark feed parses back to steady rates for every domain', () => {
  assert.match(vmIdOf(1000), /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(domainNameOf(255), 'hangar-00000000-0000-4000-8000-0000000000ff');
  const rates = new HostRates();
  rates.observe(parseHostReading(syntheticReading(100, 1, true)), 5000);
  rates.observe(parseHostReading(syntheticReading(100, 2, false)), 10_000);
  const reading = parseHostReading(syntheticReading(100, 3, true));
  assert.equal(reading.domains.length, 100);
  assert.equal(reading.domains[4].blocks?.length, 2);
  assert.ok(reading.node);
  const { vms, host } = rates.observe(reading, 15_000);
  assert.equal(vms.size, 100);
  for (const [name, vm] of vms) {
    assert.ok(name.startsWith('hangar-'));
    for (const field of ['cpuPercent', 'memoryUsedBytes', 'diskReadBytesPerSecond', 'netTxPacketsPerSecond'] as const) {
      assert.ok(typeof vm[field] === 'number' && vm[field] >= 0, `${name} ${field}`);
    }
  }
  near(vms.get(domainNameOf(1))?.cpuPercent, 2);
  near(host.cpuPercent, 30);
});
