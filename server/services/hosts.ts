import { sql } from 'kysely';
import type { PgBoss } from 'pg-boss';
import { z } from 'zod';
import type { Db } from '../../db/connection.ts';
import type { HostRow } from '../../db/types.ts';
import type { Config } from '../config.ts';
import { ConflictError, HostConnectionError, NotFoundError, ValidationError } from '../errors.ts';
import { HypervisorError } from '../hypervisor/errors.ts';
import { hypervisorFor, type LibvirtHypervisor } from '../hypervisor/libvirt-hypervisor.ts';
import type { DomainType, HostCapabilities } from '../hypervisor/probe.ts';
import { ensureHostQueue, hostQueue } from '../queue/queue.ts';
import type { ServiceContext } from './context.ts';
import { checkHostUri } from './libvirt-uri.ts';
import { parseInput } from './validation.ts';
import { totalDiskGb } from './vm-disk-rows.ts';

export interface HostSettings {
  /** libvirt storage pool for VM disks, made as a directory pool under HANGAR_STORAGE_DIR when missing. */
  diskPool: string;
  /** libvirt storage pool caching OS images (used by deployments). */
  imagePool: string;
  /** What VM NICs attach to; null: VMs get no NIC. */
  network: { kind: 'network' | 'bridge'; name: string } | null;
  cpuOvercommit: number;
  memoryOvercommit: number;
  /** Operations this host runs at once. */
  concurrency: number;
  /** Address VNC consoles listen on (the host's loopback or management address). */
  vncListen: string;
  /** Address other hosts send this host live migrations to; null: the host name of its URI. */
  migrationAddress: string | null;
  /** The disk pool is storage other hosts see at the same path (NFS, CephFS): a migration between two such hosts copies no disk. */
  diskPoolShared: boolean;
}

const poolName = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'A pool name uses letters, digits, dots, dashes and underscores');
const settingsSchema = z.object({
  diskPool: poolName.default('hangar-disks'),
  imagePool: poolName.default('hangar-images'),
  network: z
    .object({ kind: z.enum(['network', 'bridge']), name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'A network or bridge name uses letters, digits, dots, dashes and underscores') })
    .nullable()
    .default(null),
  cpuOvercommit: z.number().min(0.1).max(64).default(4),
  memoryOvercommit: z.number().min(0.1).max(8).default(1),
  concurrency: z.number().int().min(1).max(64).optional(),
  vncListen: z.union([z.ipv4(), z.ipv6()], 'vncListen must be an IP address').default('127.0.0.1'),
  migrationAddress: z.union([z.ipv4(), z.ipv6()], 'migrationAddress must be an IP address').nullable().default(null),
  diskPoolShared: z.boolean().default(false),
});

export const hostNameSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'A host name uses lower-case letters, digits and dashes (at most 63)');
// The shape only; checkHostUri (libvirt-uri.ts) decides which transports and parameters pass.
export const libvirtUriSchema = z.string().min(1, 'Enter a libvirt URI such as qemu:///system').max(500, 'A libvirt URI has at most 500 characters');

const addHostSchema = z.object({
  name: hostNameSchema,
  uri: libvirtUriSchema,
  settings: settingsSchema.partial().default({}),
  /** kvm or qemu; absent: probed (kvm only where a guest really runs). */
  domainType: z.enum(['kvm', 'qemu']).nullish(),
});
export type AddHostInput = z.input<typeof addHostSchema>;

// What an update names, without the defaults: a field left out keeps its value (a partial of
// settingsSchema would fill every absent field with its default, resetting the network, say).
const settingsPatchSchema = z.object(
  Object.fromEntries(Object.entries(settingsSchema.shape).map(([key, field]) => [key, (field instanceof z.ZodDefault ? field.unwrap() : field).optional()])),
) as unknown as z.ZodType<Partial<z.output<typeof settingsSchema>>>;

const updateHostSchema = z.object({
  name: hostNameSchema.optional(),
  settings: settingsPatchSchema.optional(),
  domainType: z.enum(['kvm', 'qemu']).nullish(),
  maintenance: z.boolean().nullish(),
});
export type UpdateHostInput = z.input<typeof updateHostSchema>;

export function settingsOf(host: Pick<HostRow, 'settings'>, config: Pick<Config, 'hostConcurrency'>): HostSettings {
  const parsed = settingsSchema.parse(host.settings ?? {});
  return { ...parsed, concurrency: parsed.concurrency ?? config.hostConcurrency };
}

/** Where other hosts send this host's incoming migrations: its setting, else its URI's host name (none for a local URI). */
export function migrationAddressOf(host: Pick<HostRow, 'settings' | 'uri'>, config: Pick<Config, 'hostConcurrency'>): string | null {
  const set = settingsOf(host, config).migrationAddress;
  if (set) return set;
  const name = new URL(host.uri).hostname.replace(/^\[(.*)\]$/, '$1');
  return name || null;
}

export function capabilitiesOf(host: Pick<HostRow, 'capabilities'>): Partial<HostCapabilities> {
  return (host.capabilities ?? {}) as Partial<HostCapabilities>;
}

/** Connects and reads the host; any failure becomes a HostConnectionError naming the cause. */
async function inspect(virsh: LibvirtHypervisor, settings: HostSettings, config: Config, domainType: DomainType | null | undefined) {
  try {
    const capabilities = await virsh.capabilities();
    const probed = domainType ? { domainType, reason: 'chosen by an administrator' } : await virsh.probeDomainType(capabilities);
    for (const pool of [settings.diskPool, settings.imagePool]) await virsh.ensurePool(pool, `${config.storageDir}/${pool}`);
    if (settings.network?.kind === 'network') {
      const active = await virsh.networkActive(settings.network.name);
      if (!active) throw ValidationError.forField('settings.network', `The network ${settings.network.name} ${active === null ? 'does not exist' : 'is not running'} on ${virsh.uri} (virsh net-list --all lists its networks)`);
    }
    return { capabilities, ...probed };
  } catch (error) {
    if (error instanceof HypervisorError) throw new HostConnectionError(`${virsh.uri}: ${error.message}`);
    throw error;
  }
}

/** Tells followers of the hosts that one was added, changed or removed, after the change committed. */
export function publishHost(ctx: Pick<ServiceContext, 'pubsub'>, host: Pick<HostRow, 'id'>): void {
  ctx.pubsub.publish('host:updated', { id: host.id });
}

/** addHost for a request: the new host is announced. */
export async function addHostAndAnnounce(ctx: ServiceContext, raw: AddHostInput): Promise<HostRow> {
  const host = await addHost(ctx.db, ctx.boss, ctx.config, raw);
  publishHost(ctx, host);
  return host;
}

/** Saves a host that answers; announces nothing (the shell and `start` call it before any API listens). */
export async function addHost(db: Db, boss: PgBoss, config: Config, raw: AddHostInput): Promise<HostRow> {
  const input = parseInput(addHostSchema, raw);
  // Before anything touches the URI: a refused one never reaches virsh or the database.
  checkHostUri(input.uri, config);
  const settings = settingsSchema.parse(input.settings);
  if (await db.selectFrom('hosts').select('id').where('name', '=', input.name).executeTakeFirst()) throw new ConflictError(`A host named ${input.name} already exists`);
  if (await db.selectFrom('hosts').select('id').where('uri', '=', input.uri).executeTakeFirst()) throw new ConflictError(`A host with the URI ${input.uri} already exists`);
  // Connect before saving: an unreachable host is refused, not stored.
  const virsh = hypervisorFor(input);
  const found = await inspect(virsh, { ...settings, concurrency: settings.concurrency ?? config.hostConcurrency }, config, input.domainType);
  // No network asked for: Hangar's own (scripts/install-host makes it) when the host has it running.
  if (!('network' in input.settings) && config.localNetwork && (await virsh.networkActive(config.localNetwork.name).catch(() => null))) {
    settings.network = { kind: 'network', name: config.localNetwork.name };
  }
  const host = await db
    .insertInto('hosts')
    .values({
      name: input.name,
      uri: input.uri,
      status: 'online',
      settings: JSON.stringify(settings),
      capabilities: JSON.stringify(found.capabilities),
      domain_type: found.domainType,
      domain_type_reason: found.reason,
      last_seen_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((error: { code?: string }) => {
      if (error.code === '23505') throw new ConflictError(`A host named ${input.name} already exists`);
      throw error;
    });
  await ensureHostQueue(boss, host.id);
  return host;
}

export async function updateHost(ctx: ServiceContext, id: string, raw: UpdateHostInput): Promise<HostRow> {
  const { db, config } = ctx;
  const input = parseInput(updateHostSchema, raw);
  const host = await findHost(db, id);
  const settings = input.settings ? settingsSchema.parse({ ...(host.settings as object), ...input.settings }) : undefined;
  const current = settingsOf(host, config);
  if (settings && (settings.diskPool !== current.diskPool || settings.imagePool !== current.imagePool || input.settings?.network)) {
    await inspect(hypervisorFor(host), { ...settings, concurrency: settings.concurrency ?? config.hostConcurrency }, config, host.domain_type as DomainType);
  }
  const updated = await db
    .updateTable('hosts')
    .set({
      ...(input.name ? { name: input.name } : {}),
      ...(settings ? { settings: JSON.stringify(settings) } : {}),
      ...(input.domainType ? { domain_type: input.domainType, domain_type_reason: 'chosen by an administrator' } : {}),
      ...(typeof input.maintenance === 'boolean' ? { maintenance: input.maintenance } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((error: { code?: string }) => {
      if (error.code === '23505') throw new ConflictError(`A host named ${input.name} already exists`);
      throw error;
    });
  publishHost(ctx, updated);
  return updated;
}

/** Refused while the host has VMs: their disks live there. */
export async function removeHost(ctx: ServiceContext, id: string): Promise<HostRow> {
  const host = await ctx.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('hosts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!row) throw new NotFoundError('The host');
    const vms = await trx.selectFrom('vms').select(sql<number>`count(*)::int`.as('n')).where('host_id', '=', id).where('deleted_at', 'is', null).executeTakeFirstOrThrow();
    if (vms.n > 0) throw new ConflictError(`The host ${row.name} still has ${vms.n} VM(s): move or delete them first`);
    await trx.updateTable('vms').set({ host_id: null }).where('host_id', '=', id).execute();
    await trx.deleteFrom('hosts').where('id', '=', id).execute();
    return row;
  });
  await ctx.boss.deleteQueue(hostQueue(id)).catch(() => {});
  publishHost(ctx, host);
  return host;
}

/** Reads the host's capabilities again and records it online, or offline with the reason. */
export async function refreshHost(ctx: ServiceContext, id: string): Promise<HostRow> {
  const refreshed = await readHostAgain(ctx.db, id);
  publishHost(ctx, refreshed);
  return refreshed;
}

/** The host's row after reading it again (online with its capabilities, or offline with why). */
async function readHostAgain(db: Db, id: string): Promise<HostRow> {
  const host = await findHost(db, id);
  try {
    const capabilities = await hypervisorFor(host).capabilities();
    return await markHost(db, id, { status: 'online', message: null, capabilities });
  } catch (error) {
    if (!(error instanceof HypervisorError)) throw error;
    return markHost(db, id, { status: 'offline', message: error.message });
  }
}

/** The libvirt networks running on the host, for choosing what VM NICs attach to; empty when it does not answer. */
export async function networksOfHost(host: Pick<HostRow, 'uri'>): Promise<string[]> {
  try {
    return await hypervisorFor(host, { timeoutMs: 5000 }).listNetworks();
  } catch (error) {
    if (error instanceof HypervisorError) return [];
    throw error;
  }
}

export async function markHost(db: Db, id: string, change: { status: 'online' | 'offline' | 'error'; message: string | null; capabilities?: HostCapabilities }): Promise<HostRow> {
  return db
    .updateTable('hosts')
    .set({
      status: change.status,
      status_message: change.message,
      ...(change.status === 'online' ? { last_seen_at: new Date() } : {}),
      ...(change.capabilities ? { capabilities: JSON.stringify(change.capabilities) } : {}),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function findHost(db: Db, id: string): Promise<HostRow> {
  const host = await db.selectFrom('hosts').selectAll().where('id', '=', id).executeTakeFirst();
  if (!host) throw new NotFoundError('The host');
  return host;
}

export async function hostsByIds(db: Db, ids: readonly string[]): Promise<HostRow[]> {
  if (!ids.length) return [];
  return db.selectFrom('hosts').selectAll().where('id', 'in', ids).execute();
}

export async function listHosts(db: Db, names?: string[]): Promise<HostRow[]> {
  let query = db.selectFrom('hosts').selectAll().orderBy('name');
  if (names?.length) query = query.where('name', 'in', names);
  return query.execute();
}

export interface HostAllocation {
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  vms: number;
}

export async function allocationsOfHosts(db: Db, hostIds: readonly string[]): Promise<HostAllocation[]> {
  const rows = hostIds.length
    ? await db
        .selectFrom('vms')
        .select(['host_id', sql<number>`coalesce(sum(vcpus), 0)::int`.as('vcpus'), sql<number>`coalesce(sum(memory_mb), 0)::int`.as('memory'), sql<number>`coalesce(sum(${totalDiskGb}), 0)::int`.as('disk'), sql<number>`count(*)::int`.as('n')])
        .where('host_id', 'in', hostIds)
        .where('deleted_at', 'is', null)
        .groupBy('host_id')
        .execute()
    : [];
  return hostIds.map((id) => {
    const row = rows.find((r) => r.host_id === id);
    return { vcpus: row?.vcpus ?? 0, memoryMb: row?.memory ?? 0, diskGb: row?.disk ?? 0, vms: row?.n ?? 0 };
  });
}

/**
 * Registers this machine's libvirt as host `local` when it answers (the all-in-one `start`), its VMs
 * on the local network (config.localNetwork, made as a NAT network with DHCP when missing). When
 * libvirt does not answer, Hangar still runs and the problem says what to install; when the network
 * cannot be made, the host is registered without one and the problem says why.
 */
export async function registerLocalHost(db: Db, boss: PgBoss, config: Config): Promise<{ host: HostRow | null; problem: string | null }> {
  if (!config.localLibvirtUri) return { host: null, problem: null };
  const existing = await db.selectFrom('hosts').selectAll().where('uri', '=', config.localLibvirtUri).executeTakeFirst();
  if (existing) {
    await ensureHostQueue(boss, existing.id);
    const network = settingsOf(existing, config).network;
    // A network the host's VMs use is brought back up if it stopped (e.g. after libvirtd restarted without autostart).
    const problem = network?.kind === 'network' && network.name === config.localNetwork?.name ? await localNetworkProblem(config.localLibvirtUri, config) : null;
    return { host: existing, problem };
  }
  const networkProblem = config.localNetwork ? await localNetworkProblem(config.localLibvirtUri, config) : null;
  const network = config.localNetwork && !networkProblem ? { kind: 'network' as const, name: config.localNetwork.name } : null;
  try {
    return { host: await addHost(db, boss, config, { name: 'local', uri: config.localLibvirtUri, settings: { network } }), problem: networkProblem };
  } catch (error) {
    if (error instanceof HostConnectionError || error instanceof ConflictError) {
      return { host: null, problem: `${error.message}. To run VMs on this machine install libvirt and qemu: sudo scripts/install-host` };
    }
    throw error;
  }
}

/** Makes the local NAT network exist and run; null when it does, else what went wrong and what to do. */
async function localNetworkProblem(uri: string, config: Config): Promise<string | null> {
  const spec = config.localNetwork!;
  try {
    await hypervisorFor({ uri }).ensureNatNetwork(spec);
    return null;
  } catch (error) {
    if (!(error instanceof HypervisorError)) throw error;
    return `The local network ${spec.name} (${spec.cidr}) could not be made or started, so new VMs on host local get no NIC: ${error.message}. Install the firewall backend and dnsmasq (sudo scripts/install-host), or set HANGAR_LOCAL_NETWORK_CIDR to a free subnet, then restart Hangar and set the host's network on its page`;
  }
}
