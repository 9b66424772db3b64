// Moving a running domain to another host with libvirt's live migration, driven from this side
// (virsh connects to both hosts: neither libvirtd needs to reach the other's daemon), and the job
// statistics libvirt keeps while it runs and after it ends.
import { HypervisorError } from './errors.ts';
import { checkId, unless, withXmlFile, xmlBuilder, xmlParser, type VirshRunner } from './virsh-runner.ts';

export interface LiveMigrationSpec {
  /** The target host's libvirt URI, as this side reaches it. */
  destUri: string;
  /** The address the target's QEMU takes the migration stream (and disk copies) on; null: libvirt's default, the target's host name. */
  migrateAddress: string | null;
  /** Copy every writable disk while the guest runs (local storage); the volumes must exist on the target, empty, of the same size. */
  copyStorage: boolean;
  /** The domain XML the target defines (disk paths of the target); null: the source's. */
  targetXml: string | null;
  /** The disks are on storage both hosts see, which libvirt cannot tell is coherent (a plain directory): the caller checked it. */
  sharedStorage: boolean;
  /** MiB/s; null: unlimited. */
  bandwidthMiBs: number | null;
  maxDowntimeMs: number | null;
  autoConverge: boolean;
}

/** What libvirt reports about a migration job (raw statistics, bytes and milliseconds). */
export interface MigrationJob {
  elapsedMs: number;
  diskTotal: number;
  diskProcessed: number;
  memoryTotal: number;
  memoryProcessed: number;
  memoryRemaining: number;
  /** Bytes per second of the memory stream. */
  memoryBps: number;
  /** Pages per second the guest dirties. */
  dirtyRate: number;
  iteration: number;
  /** Only once completed. */
  downtimeMs: number | null;
}

const NO_JOB = /no job is active|domain is not running|Domain not found|failed to get domain/i;

/** `domjobinfo --rawstats` → numbers by key. */
export function parseJobStats(stdout: string): Record<string, number> {
  const stats: Record<string, number> = {};
  for (const line of stdout.split('\n')) {
    const match = /^\s*([a-z_]+):\s*(-?\d+(?:\.\d+)?)\s*$/i.exec(line);
    if (match) stats[match[1].toLowerCase()] = Number(match[2]);
  }
  return stats;
}

function jobOf(stats: Record<string, number>): MigrationJob {
  return {
    elapsedMs: stats.time_elapsed ?? 0,
    diskTotal: stats.disk_total ?? 0,
    diskProcessed: stats.disk_processed ?? 0,
    memoryTotal: stats.memory_total ?? 0,
    memoryProcessed: stats.memory_processed ?? 0,
    memoryRemaining: stats.memory_remaining ?? 0,
    memoryBps: stats.memory_bps ?? 0,
    dirtyRate: stats.memory_dirty_rate ?? 0,
    iteration: stats.memory_iteration ?? 0,
    downtimeMs: stats.downtime ?? null,
  };
}

/** The running job of a domain (null: none); with completed, the last finished one (kept by the target of a migration). */
export async function migrationJob(virsh: VirshRunner, vmId: string, options: { completed?: boolean } = {}): Promise<MigrationJob | null> {
  // A completed job's statistics are kept for whoever reads them next (an operator's virsh, a benchmark).
  const args = ['domjobinfo', '--domain', checkId(vmId), '--rawstats', ...(options.completed ? ['--completed', '--keep-completed'] : [])];
  const result = await virsh.run(args).catch((error: unknown) => {
    unless(NO_JOB)(error);
    return null;
  });
  if (!result) return null;
  const stats = parseJobStats(result.stdout);
  // "Job type: 0" (none) prints no statistics.
  return Object.keys(stats).length > 2 ? jobOf(stats) : null;
}

/** The domain's XML as a migration carries it (no host-specific runtime parts). */
export async function migratableXml(virsh: VirshRunner, vmId: string): Promise<string> {
  return (await virsh.run(['dumpxml', '--domain', checkId(vmId), '--migratable'])).stdout;
}

/**
 * The domain's XML as the target runs it: each disk's source file replaced as `paths` maps it (old
 * path → new path), and the consoles listening on the target's own address (the source's would not
 * exist there: QEMU could not bind it).
 */
export function forTarget(xml: string, paths: Map<string, string>, vncListen: string): string {
  const doc = xmlParser.parse(xml);
  const disks = [doc.domain?.devices?.disk ?? []].flat() as Array<{ source?: { '@file'?: string } }>;
  for (const disk of disks) {
    const file = disk.source?.['@file'];
    if (file && paths.has(file)) disk.source!['@file'] = paths.get(file)!;
  }
  const graphics = [doc.domain?.devices?.graphics ?? []].flat() as Array<{ '@listen'?: string; listen?: unknown }>;
  for (const g of graphics) {
    if (g['@listen'] !== undefined) g['@listen'] = vncListen;
    for (const listen of [g.listen ?? []].flat() as Array<{ '@type'?: string; '@address'?: string }>) {
      if (listen['@type'] === 'address') listen['@address'] = vncListen;
    }
  }
  return xmlBuilder.build(doc);
}

/**
 * Live-migrates the domain and makes it the target's (persistent there, undefined here). Resolves
 * when the guest runs on the target; rejects with libvirt's reason otherwise, the guest still
 * running here. onJob hears the job's statistics about once a second; signal aborts the job.
 */
export async function migrateLive(virsh: VirshRunner, vmId: string, spec: LiveMigrationSpec, onJob: (job: MigrationJob) => void, signal?: AbortSignal): Promise<void> {
  const id = checkId(vmId);
  const address = spec.migrateAddress ? (spec.migrateAddress.includes(':') ? `[${spec.migrateAddress}]` : spec.migrateAddress) : null;
  const args = [
    'migrate',
    '--live',
    '--persistent',
    '--undefinesource',
    '--domain',
    id,
    '--desturi',
    spec.destUri,
    ...(address ? ['--migrateuri', `tcp://${address}`] : []),
    // The disks' copy (NBD) goes to the same address: otherwise the source is told the target's
    // host name, which it may not resolve to the migration network (seen with several at once).
    ...(spec.copyStorage ? ['--copy-storage-all', ...(address ? ['--disks-uri', `tcp://${address}`] : [])] : []),
    ...(spec.sharedStorage ? ['--unsafe'] : []),
    ...(spec.bandwidthMiBs ? ['--bandwidth', String(spec.bandwidthMiBs)] : []),
    ...(spec.autoConverge ? ['--auto-converge'] : []),
  ];
  let polling = true;
  let downtimeSet = false;
  const poll = (async () => {
    while (polling) {
      await new Promise((r) => setTimeout(r, 1000));
      if (!polling) break;
      const job = await migrationJob(virsh, id).catch(() => null);
      if (!job || !polling) continue;
      if (spec.maxDowntimeMs && !downtimeSet) {
        downtimeSet = true;
        await virsh.run(['migrate-setmaxdowntime', '--domain', id, '--downtime', String(spec.maxDowntimeMs)]).catch(() => {});
      }
      onJob(job);
    }
  })();
  const abort = () => void virsh.run(['domjobabort', '--domain', id]).catch(() => {});
  signal?.addEventListener('abort', abort);
  try {
    if (signal?.aborted) throw new HypervisorError('the migration was cancelled before it began', 'virsh migrate');
    // Its own process, bounded only by a day: a migration takes as long as the guest's memory and disks need.
    const run = (file: string | null) => virsh.runAlone(file ? [...args, '--xml', file] : args, 24 * 3600_000);
    if (spec.targetXml) await withXmlFile(spec.targetXml, (file) => run(file));
    else await run(null);
  } finally {
    polling = false;
    signal?.removeEventListener('abort', abort);
    await poll;
  }
}

/** Stops a domain's running job (a migration); none running is fine. */
export async function abortJob(virsh: VirshRunner, vmId: string): Promise<void> {
  await virsh.run(['domjobabort', '--domain', checkId(vmId)]).catch(unless(/no job is active|not running|Domain not found|failed to get domain/i));
}
