// Synthetic output of the collector's readings (see FAST_READING, SLOW_READING) for a host with many
// domains, laid out line by line like test/fixtures/domstats/: libvirt prints the groups in a fixed
// order (state, cpu, balloon, vcpu, net, block) whatever order the flags come in. Round r stands
// for 5 s after round r - 1; every counter grows with the round, so rates stay steady.

import { MARKER } from '../../../server/hypervisor/domstats.ts';

/** The VM id of domain `index`: a valid version-4 UUID whose last 12 hex digits are the index. */
export function vmIdOf(index: number): string {
  return `00000000-0000-4000-8000-${index.toString(16).padStart(12, '0')}`;
}

export function domainNameOf(index: number): string {
  return `hangar-${vmIdOf(index)}`;
}

const SECONDS_PER_ROUND = 5;

function domainLines(index: number, round: number, slow: boolean): string {
  const t = round * SECONDS_PER_ROUND;
  const vcpus = index % 3 === 0 ? 2 : 1;
  // Between 1 % and 40 % of one vCPU, steady per domain.
  const cpuNsPerSecond = (10_000_000 + (index % 40) * 10_000_000) * vcpus;
  const cpuTime = 20_000_000_000 + index * 1_000_000 + t * cpuNsPerSecond;
  const cpuUser = Math.floor(cpuTime * 0.94);
  const lines = [
    `Domain: '${domainNameOf(index)}'`,
    '  state.state=1',
    '  state.reason=1',
    `  cpu.time=${cpuTime}`,
    `  cpu.user=${cpuUser}`,
    `  cpu.system=${cpuTime - cpuUser}`,
    '  cpu.cache.monitor.count=0',
    '  cpu.haltpoll.success.time=0',
    '  cpu.haltpoll.fail.time=0',
  ];
  if (slow) {
    const unused = 300_000 + (index % 50) * 1_000;
    lines.push(
      '  balloon.current=524288',
      '  balloon.maximum=524288',
      '  balloon.swap_in=0',
      '  balloon.swap_out=0',
      `  balloon.major_fault=${300 + index}`,
      `  balloon.minor_fault=${57_000 + index + round * 40}`,
      `  balloon.unused=${unused}`,
      '  balloon.available=468524',
      `  balloon.usable=${unused + 70_000}`,
      `  balloon.last-update=${1_795_619_000 + t}`,
      '  balloon.disk_caches=67656',
      '  balloon.hugetlb_pgalloc=0',
      '  balloon.hugetlb_pgfail=0',
      `  balloon.rss=${900_000 + index}`,
    );
  }
  lines.push(`  vcpu.current=${vcpus}`, `  vcpu.maximum=${vcpus}`);
  for (let v = 0; v < vcpus; v++) {
    lines.push(
      `  vcpu.${v}.state=1`,
      `  vcpu.${v}.time=${Math.floor(cpuTime / vcpus / 1e7) * 1e7}`,
      `  vcpu.${v}.wait=0`,
      `  vcpu.${v}.delay=${50_000_000 + round * 2_000_000}`,
    );
  }
  const rxBytes = 2_000 + index + t * (300 + (index % 7) * 100);
  const txBytes = 1_900 + index + t * (200 + (index % 5) * 100);
  lines.push(
    '  net.count=1',
    `  net.0.name=vnet${index}`,
    `  net.0.rx.bytes=${rxBytes}`,
    `  net.0.rx.pkts=${Math.floor(rxBytes / 60)}`,
    '  net.0.rx.errs=0',
    '  net.0.rx.drop=0',
    `  net.0.tx.bytes=${txBytes}`,
    `  net.0.tx.pkts=${Math.floor(txBytes / 160)}`,
    '  net.0.tx.errs=0',
    '  net.0.tx.drop=0',
  );
  if (slow) {
    const disks = index % 4 === 0 ? 2 : 1;
    lines.push(`  block.count=${disks}`);
    for (let d = 0; d < disks; d++) {
      const reads = 5_000 + index + t * (2 + d);
      const writes = 160 + index + t * (1 + (index % 3));
      lines.push(
        `  block.${d}.name=vd${String.fromCharCode(97 + d)}`,
        `  block.${d}.path=/var/lib/hangar/disks/${vmIdOf(index)}-${d}.qcow2`,
        `  block.${d}.backingIndex=1`,
        `  block.${d}.rd.reqs=${reads}`,
        `  block.${d}.rd.bytes=${reads * 21_000}`,
        `  block.${d}.rd.times=${reads * 42_000}`,
        `  block.${d}.wr.reqs=${writes}`,
        `  block.${d}.wr.bytes=${writes * 18_000}`,
        `  block.${d}.wr.times=${writes * 200_000}`,
        `  block.${d}.fl.reqs=${22 + Math.floor(writes / 8)}`,
        `  block.${d}.fl.times=${10_000_000 + writes * 60_000}`,
        `  block.${d}.allocation=${10_092_544 + index * 4096}`,
        `  block.${d}.capacity=10737418240`,
        `  block.${d}.physical=${10_039_296 + index * 4096}`,
      );
    }
  }
  lines.push('');
  return lines.join('\n');
}

/** What a reading (oneShotCommand(slow ? SLOW_READING : FAST_READING)) prints for `domains` running domains at `round`. */
export function syntheticReading(domains: number, round: number, slow: boolean): string {
  const parts: string[] = [];
  for (let i = 0; i < domains; i++) parts.push(domainLines(i, round, slow));
  const t = round * SECONDS_PER_ROUND;
  // A 32-thread host: nanoseconds of all CPUs together.
  const busyNs = t * 32 * 1e9 * 0.3;
  const user = 7_105_300_000_000 + Math.floor(busyNs * 0.7);
  const system = 2_706_620_000_000 + Math.floor(busyNs * 0.3);
  const idle = 13_929_490_000_000 + Math.floor(t * 32 * 1e9 * 0.69);
  const iowait = 61_520_000_000 + Math.floor(t * 32 * 1e9 * 0.01);
  parts.push(
    MARKER,
    `user:${String(user).padStart(24)}`,
    `system:${String(system).padStart(22)}`,
    `idle:${String(idle).padStart(24)}`,
    `iowait:${String(iowait).padStart(22)}`,
    '',
    MARKER,
    `total  :${String(24_684_084).padStart(21)} KiB`,
    `free   :${String(22_250_348 - (round % 100) * 100).padStart(21)} KiB`,
    `buffers:${String(13_336).padStart(21)} KiB`,
    `cached :${String(1_015_376).padStart(21)} KiB`,
    '',
  );
  return parts.join('\n');
}
