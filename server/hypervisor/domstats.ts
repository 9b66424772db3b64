// Reads one host's counters from the stdout of a single virsh process: `domstats --raw` for every
// domain, then `nodecpustats` and `nodememstats`, the three parts separated by MARKER lines.
// The parser walks the text once by position (indexOf/startsWith/charCodeAt), slicing only the
// strings it keeps (domain and device names): it runs for every domain of every host each interval.
// readWithVirsh, at the end, runs a reading on a host for the collector.

import { runCommand } from './command.ts';
import { runInShell } from './virsh-shell.ts';

export const MARKER = '---hangar---';

export interface BalloonCounters {
  currentKiB: number;
  /** The guest's MemTotal, when the guest's balloon driver reports statistics. */
  availableKiB: number | null;
  /** The guest's MemAvailable, likewise. */
  usableKiB: number | null;
  unusedKiB: number | null;
}

export interface BlockCounters {
  name: string;
  readBytes: number;
  writeBytes: number;
  readOps: number;
  writeOps: number;
}

export interface NicCounters {
  name: string;
  rxBytes: number;
  txBytes: number;
  rxPackets: number;
  txPackets: number;
}

export interface DomainCounters {
  name: string;
  /** virDomainState: 1 running, 3 paused, 5 shut off, …; null when --state was not asked. */
  state: number | null;
  cpuTimeNs: number | null;
  /** vcpu.current; null when --vcpu was not part of the reading. */
  vcpus: number | null;
  /** null when --balloon was not part of the reading. */
  balloon: BalloonCounters | null;
  /** One entry per disk (its top image); null when --block was not part of the reading. */
  blocks: BlockCounters[] | null;
  /** When `blocks` were read, if not with the rest (a slow reading merged into a fast one), in ms. */
  blocksAt?: number;
  /** null when --interface was not part of the reading (or the domain is not running). */
  nics: NicCounters[] | null;
}

export interface NodeCounters {
  cpu: { userNs: number; systemNs: number; idleNs: number; iowaitNs: number };
  memory: { totalKiB: number; freeKiB: number; buffersKiB: number; cachedKiB: number };
}

export interface HostReading {
  domains: DomainCounters[];
  node: NodeCounters | null;
}

// What one reading runs, in order; their outputs joined by MARKER lines make the text
// parseHostReading reads. --vcpu costs libvirtd a QMP round trip per domain (measured 1–2 ms, as
// much as --cpu-total): the collector takes vCPU counts from the database instead.
export type Reading = readonly (readonly string[])[];
/** A whole host's cheap statistics: every domain's state, CPU time and NICs, then the node's CPU and memory. */
export const FAST_READING: Reading = [['domstats', '--raw', '--state', '--cpu-total', '--interface'], ['nodecpustats'], ['nodememstats']];
/** Disk and guest-memory statistics go through QEMU's monitor too: read less often, on their own. */
export const SLOW_READING: Reading = [['domstats', '--raw', '--block', '--balloon']];

/** The one argument for `virsh -c URI <command>` that runs a whole reading in one process. */
export function oneShotCommand(reading: Reading): string {
  return reading.map((args) => args.join(' ')).join(` ; echo ${MARKER} ; `);
}

const SPACE = 32;
const DASH = 45;
const DOT = 46;
const QUOTE = 39;
const ZERO = 48;
const NINE = 57;

/** The non-negative integer in text[from, to), or NaN when it does not start with a digit. */
function integerAt(text: string, from: number, to: number): number {
  let value = 0;
  let i = from;
  for (; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < ZERO || c > NINE) break;
    value = value * 10 + (c - ZERO);
  }
  return i === from ? NaN : value;
}

/** A device index `N.` at `from`; returns N and leaves the position after the dot in `afterIndex`. */
let afterIndex = 0;
function deviceIndexAt(text: string, from: number, to: number): number {
  let i = from;
  while (i < to && text.charCodeAt(i) >= ZERO && text.charCodeAt(i) <= NINE) i++;
  if (i === from || text.charCodeAt(i) !== DOT) return -1;
  afterIndex = i + 1;
  return integerAt(text, from, i);
}

// Per-domain scratch, reused: which block entries carried I/O counters (inactive domains and
// backing images list a name and path only).
const blockHasCounters: boolean[] = [];

function newBlock(): BlockCounters {
  return { name: '', readBytes: 0, writeBytes: 0, readOps: 0, writeOps: 0 };
}

function newNic(): NicCounters {
  return { name: '', rxBytes: 0, txBytes: 0, rxPackets: 0, txPackets: 0 };
}

/** Applies one `  key=value` line (text[keyStart, eol)) to the domain. */
function applyStat(domain: DomainCounters, text: string, keyStart: number, eol: number): void {
  const eq = text.indexOf('=', keyStart);
  if (eq < 0 || eq > eol) return;
  const valueStart = eq + 1;
  switch (text.charCodeAt(keyStart)) {
    case 115: // s
      if (text.startsWith('state.state=', keyStart)) domain.state = orNull(integerAt(text, valueStart, eol));
      return;
    case 99: // c
      if (text.startsWith('cpu.time=', keyStart)) domain.cpuTimeNs = orNull(integerAt(text, valueStart, eol));
      return;
    case 118: // v
      if (text.startsWith('vcpu.current=', keyStart)) domain.vcpus = orNull(integerAt(text, valueStart, eol));
      return;
    case 110: // n
      if (text.startsWith('net.', keyStart)) applyNic(domain, text, keyStart + 4, eq, valueStart, eol);
      return;
    case 98: // b
      if (text.startsWith('block.', keyStart)) applyBlock(domain, text, keyStart + 6, eq, valueStart, eol);
      else if (text.startsWith('balloon.', keyStart)) applyBalloon(domain, text, keyStart + 8, valueStart, eol);
      return;
  }
}

function orNull(value: number): number | null {
  return value === value ? value : null;
}

function applyNic(domain: DomainCounters, text: string, at: number, eq: number, valueStart: number, eol: number): void {
  if (text.startsWith('count=', at)) {
    domain.nics ??= [];
    return;
  }
  const index = deviceIndexAt(text, at, eq);
  if (index < 0) return;
  const nics = (domain.nics ??= []);
  while (nics.length <= index) nics.push(newNic());
  const nic = nics[index];
  const key = afterIndex;
  const keyLength = eq - key;
  if (keyLength === 4 && text.startsWith('name', key)) nic.name = text.slice(valueStart, eol);
  else if (keyLength === 8 && text.startsWith('rx.bytes', key)) nic.rxBytes = integerAt(text, valueStart, eol) || 0;
  else if (keyLength === 8 && text.startsWith('tx.bytes', key)) nic.txBytes = integerAt(text, valueStart, eol) || 0;
  else if (keyLength === 7 && text.startsWith('rx.pkts', key)) nic.rxPackets = integerAt(text, valueStart, eol) || 0;
  else if (keyLength === 7 && text.startsWith('tx.pkts', key)) nic.txPackets = integerAt(text, valueStart, eol) || 0;
}

function applyBlock(domain: DomainCounters, text: string, at: number, eq: number, valueStart: number, eol: number): void {
  if (text.startsWith('count=', at)) {
    domain.blocks ??= [];
    return;
  }
  const index = deviceIndexAt(text, at, eq);
  if (index < 0) return;
  const blocks = (domain.blocks ??= []);
  while (blocks.length <= index) {
    blockHasCounters[blocks.length] = false;
    blocks.push(newBlock());
  }
  const block = blocks[index];
  const key = afterIndex;
  const keyLength = eq - key;
  if (keyLength === 4 && text.startsWith('name', key)) {
    block.name = text.slice(valueStart, eol);
    return;
  }
  if (keyLength !== 7 && keyLength !== 8) return;
  if (keyLength === 8 && text.startsWith('rd.bytes', key)) block.readBytes = integerAt(text, valueStart, eol) || 0;
  else if (keyLength === 8 && text.startsWith('wr.bytes', key)) block.writeBytes = integerAt(text, valueStart, eol) || 0;
  else if (keyLength === 7 && text.startsWith('rd.reqs', key)) block.readOps = integerAt(text, valueStart, eol) || 0;
  else if (keyLength === 7 && text.startsWith('wr.reqs', key)) block.writeOps = integerAt(text, valueStart, eol) || 0;
  else return;
  blockHasCounters[index] = true;
}

function applyBalloon(domain: DomainCounters, text: string, at: number, valueStart: number, eol: number): void {
  let field: 0 | 1 | 2 | 3;
  if (text.startsWith('current=', at)) field = 0;
  else if (text.startsWith('available=', at)) field = 1;
  else if (text.startsWith('usable=', at)) field = 2;
  else if (text.startsWith('unused=', at)) field = 3;
  else return;
  const value = orNull(integerAt(text, valueStart, eol));
  const balloon = (domain.balloon ??= { currentKiB: NaN, availableKiB: null, usableKiB: null, unusedKiB: null });
  if (field === 0) balloon.currentKiB = value ?? NaN;
  else if (field === 1) balloon.availableKiB = value;
  else if (field === 2) balloon.usableKiB = value;
  else balloon.unusedKiB = value;
}

/** Ends a domain: one block entry per disk name (the first, i.e. the top image) that has counters. */
function finishDomain(domain: DomainCounters): void {
  if (domain.balloon !== null && !(domain.balloon.currentKiB === domain.balloon.currentKiB)) domain.balloon = null;
  const blocks = domain.blocks;
  if (blocks === null || blocks.length === 0) return;
  let clean = true;
  for (let i = 0; i < blocks.length && clean; i++) {
    if (!blockHasCounters[i]) clean = false;
    for (let j = 0; j < i && clean; j++) if (blocks[j].name === blocks[i].name) clean = false;
  }
  if (clean) return;
  const kept: BlockCounters[] = [];
  for (let i = 0; i < blocks.length; i++) {
    if (!blockHasCounters[i]) continue;
    let duplicate = false;
    for (let j = 0; j < kept.length && !duplicate; j++) duplicate = kept[j].name === blocks[i].name;
    if (!duplicate) kept.push(blocks[i]);
  }
  domain.blocks = kept;
}

/** The number after the colon of a `key:   value [KiB]` line of nodecpustats/nodememstats. */
function nodeValue(text: string, colon: number, eol: number): number {
  let i = colon + 1;
  while (i < eol && text.charCodeAt(i) === SPACE) i++;
  return integerAt(text, i, eol);
}

export function parseHostReading(stdout: string): HostReading {
  const domains: DomainCounters[] = [];
  let domain: DomainCounters | null = null;
  let section = 0; // 0: domstats, 1: nodecpustats, 2: nodememstats
  let userNs = NaN;
  let systemNs = NaN;
  let idleNs = NaN;
  let iowaitNs = NaN;
  let totalKiB = NaN;
  let freeKiB = NaN;
  let buffersKiB = NaN;
  let cachedKiB = NaN;

  const end = stdout.length;
  let pos = 0;
  while (pos < end) {
    let eol = stdout.indexOf('\n', pos);
    if (eol < 0) eol = end;
    const first = stdout.charCodeAt(pos);
    if (eol === pos) {
      // blank line
    } else if (first === SPACE) {
      if (domain !== null) {
        let key = pos + 1;
        while (key < eol && stdout.charCodeAt(key) === SPACE) key++;
        applyStat(domain, stdout, key, eol);
      }
    } else if (first === DASH && stdout.startsWith(MARKER, pos)) {
      if (domain !== null) finishDomain(domain);
      domain = null;
      section++;
    } else if (section === 0) {
      if (stdout.startsWith('Domain:', pos)) {
        if (domain !== null) finishDomain(domain);
        domain = { name: domainNameOn(stdout, pos + 7, eol), state: null, cpuTimeNs: null, vcpus: null, balloon: null, blocks: null, nics: null };
        domains.push(domain);
      }
    } else {
      const colon = stdout.indexOf(':', pos);
      if (colon >= 0 && colon < eol) {
        const key = stdout.slice(pos, colon).trim();
        const value = nodeValue(stdout, colon, eol);
        if (section === 1) {
          if (key === 'user') userNs = value;
          else if (key === 'system') systemNs = value;
          else if (key === 'idle') idleNs = value;
          else if (key === 'iowait') iowaitNs = value;
        } else if (section === 2) {
          if (key === 'total') totalKiB = value;
          else if (key === 'free') freeKiB = value;
          else if (key === 'buffers') buffersKiB = value;
          else if (key === 'cached') cachedKiB = value;
        }
      }
    }
    pos = eol + 1;
  }
  if (domain !== null) finishDomain(domain);

  const complete = userNs === userNs && systemNs === systemNs && idleNs === idleNs && totalKiB === totalKiB && freeKiB === freeKiB;
  const node: NodeCounters | null = complete
    ? {
        cpu: { userNs, systemNs, idleNs, iowaitNs: iowaitNs || 0 },
        memory: { totalKiB, freeKiB, buffersKiB: buffersKiB || 0, cachedKiB: cachedKiB || 0 },
      }
    : null;
  return { domains, node };
}

/** `Domain: 'name'`: the text between the first and the last quote (names may contain quotes). */
function domainNameOn(text: string, from: number, eol: number): string {
  const open = text.indexOf("'", from);
  if (open < 0 || open >= eol) return text.slice(from, eol).trim();
  let close = eol - 1;
  while (close > open && text.charCodeAt(close) !== QUOTE) close--;
  return close > open ? text.slice(open + 1, close) : text.slice(open + 1, eol);
}

/**
 * Through the URI's long-lived virsh shells: a round trip per command, where a virsh process per
 * reading cost about 50 ms of CPU (process start and connection) every interval for every host.
 * Where a shell cannot serve, one virsh process runs the whole reading. Returns the outputs of
 * the reading's commands joined by MARKER lines.
 */
export async function readWithVirsh(uri: string, reading: Reading, timeoutMs: number): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  const outputs: string[] = [];
  for (const args of reading) {
    const inShell = runInShell(uri, [...args], `virsh ${args[0]}`, Math.max(1, deadline - Date.now()));
    const result = inShell && (await inShell);
    if (!result) return (await runCommand('virsh', ['-c', uri, oneShotCommand(reading)], { timeoutMs: Math.max(1, deadline - Date.now()) })).stdout;
    outputs.push(result.stdout);
  }
  return outputs.join(`\n${MARKER}\n`);
}
