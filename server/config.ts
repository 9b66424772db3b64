import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { FORBIDDEN_URI_PARAMS, LibvirtUriError, OPTIONAL_URI_PARAMS, parseLibvirtUri } from './hypervisor/uri.ts';

const postgresUrl = z
  .string()
  .regex(/^postgres(ql)?:\/\/.+/, 'must be a postgres:// or postgresql:// URL');

// Every setting Hangar reads from its environment; the README's table mirrors this list.
export const configSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: postgresUrl.optional(),
  REDIS_URL: z.string().regex(/^rediss?:\/\/.+/, 'must be a redis:// or rediss:// URL').optional(),
  HANGAR_REDIS_CHANNEL_PREFIX: z.string().regex(/^[A-Za-z0-9._-]{1,64}$/, 'use 1 to 64 letters, digits, dots, dashes or underscores').default('hangar'),
  HANGAR_DATA_DIR: z.string().min(1).default('./data'),
  HANGAR_PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  HANGAR_SESSION_TTL_HOURS: z.coerce.number().positive().max(24 * 365).default(168),
  HANGAR_MAX_BODY_BYTES: z.coerce.number().int().min(1024).default(1024 * 1024),
  HANGAR_CORS_ORIGINS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((o) => o.trim()).filter(Boolean))
    .refine((origins) => origins.every(isExactOrigin), 'must be a comma-separated list of origins such as https://partner.example.com (scheme, host and port: no path, no wildcard)'),
  HANGAR_UPLOAD_MAX_CONCURRENT: z.coerce.number().int().min(1).max(1000).default(8),
  HANGAR_UPLOAD_MAX_CONCURRENT_PER_USER: z.coerce.number().int().min(1).max(1000).default(2),
  HANGAR_LOGIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  HANGAR_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(50),
  HANGAR_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  HANGAR_LOGIN_BACKOFF_SECONDS: z.coerce.number().min(0.1).max(86400).default(30),
  HANGAR_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().default(10),
  HANGAR_LOCAL_LIBVIRT_URI: z.string().regex(/^(none|[a-z0-9+]+:\/\/.*)$/, 'must be a libvirt URI such as qemu:///system, or none').default('qemu:///system'),
  HANGAR_LOCAL_NETWORK: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a libvirt network name, or none').default('hangar'),
  HANGAR_LOCAL_NETWORK_CIDR: z
    .string()
    .regex(/^\d{1,3}(\.\d{1,3}){3}\/(1[6-9]|2[0-4])$/, 'must be an IPv4 /16 to /24 such as 192.168.150.0/24')
    .default('192.168.150.0/24'),
  HANGAR_HOST_URI_ALLOWED_PARAMS: z
    .string()
    .default('')
    .transform((s) => s.split(',').map((p) => p.trim().toLowerCase()).filter(Boolean))
    .refine((names) => names.every((n) => !FORBIDDEN_URI_PARAMS.includes(n)), `${FORBIDDEN_URI_PARAMS.join(', ')} are never allowed: they make libvirt run a program or open another URI`)
    .refine((names) => names.every((n) => OPTIONAL_URI_PARAMS.includes(n)), `list libvirt URI parameters among ${OPTIONAL_URI_PARAMS.join(', ')}`),
  HANGAR_SOCKET_RECHECK_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  HANGAR_HOOKS_DIR: z.string().regex(/^\//, 'must be an absolute path').optional(),
  HANGAR_STORAGE_DIR: z.string().regex(/^\//, 'must be an absolute path').default('/var/lib/libvirt/hangar'),
  HANGAR_HOST_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  HANGAR_VM_SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().int().min(1).max(3600).default(120),
  HANGAR_RECONCILE_SECONDS: z.coerce.number().min(1).max(3600).default(10),
  HANGAR_MIGRATION_STALL_SECONDS: z.coerce.number().min(5).max(86_400).default(60),
  HANGAR_WORKER_DEATH_GRACE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  // Test-only: once a step's start is on record, a worker waits while <dir>/<operation>.<step number> exists (the fault tests act at step boundaries).
  HANGAR_TEST_STEP_HOLD_DIR: z.string().regex(/^\//, 'must be an absolute path').optional(),
  HANGAR_IMAGE_CACHE_PRUNE_SECONDS: z.coerce.number().min(0).max(7 * 86400).default(3600),
  HANGAR_REPOSITORY_REFRESH_SECONDS: z.coerce.number().min(0).max(30 * 86400).default(6 * 3600),
  HANGAR_IMAGE_DIR: z.string().min(1).optional(),
  HANGAR_IMAGE_MAX_BYTES: z.coerce.number().int().min(1024 * 1024).default(50 * 1024 ** 3),
  HANGAR_IMPORT_ALLOWED_NETWORKS: z
    .string()
    .regex(/^[0-9a-fA-F:./,\s]*$/, 'must be a comma-separated list of CIDR ranges such as 10.0.0.0/8,127.0.0.1/32')
    .default(''),
  HANGAR_OIDC_ALLOWED_NETWORKS: z
    .string()
    .regex(/^[0-9a-fA-F:./,\s]*$/, 'must be a comma-separated list of CIDR ranges such as 10.0.0.0/8,127.0.0.1/32')
    .default(''),
  HANGAR_GUEST_AGENT_TIMEOUT_SECONDS: z.coerce.number().int().min(5).max(3600).default(600),
  HANGAR_MAX_DISKS_PER_VM: z.coerce.number().int().min(1).max(20).default(8),
  HANGAR_METRICS_INTERVAL_SECONDS: z.coerce.number().min(1).max(3600).default(5),
  HANGAR_METRICS_SLOW_EVERY: z.coerce.number().int().min(1).max(100).default(3),
  HANGAR_METRICS_RAW_RETENTION_HOURS: z.coerce.number().positive().default(24),
  HANGAR_METRICS_MINUTE_RETENTION_DAYS: z.coerce.number().positive().default(30),
  HANGAR_METRICS_HOUR_RETENTION_DAYS: z.coerce.number().positive().default(365),
});

export const CONFIG_VARIABLES = Object.keys(configSchema.shape);

export interface Config {
  port: number;
  host: string;
  databaseUrl?: string;
  redisUrl?: string;
  redisChannelPrefix: string;
  dataDir: string;
  publicUrl?: string;
  logLevel: string;
  sessionTtlMs: number;
  maxBodyBytes: number;
  /** Origins of partner web apps allowed to call the API with the user's cookie (CORS); none by default. */
  corsOrigins: string[];
  /** Image uploads in progress at once, on this API process and per user. */
  uploads: { maxConcurrent: number; maxConcurrentPerUser: number };
  login: { maxFailures: number; maxFailuresPerAddress: number; windowMs: number; backoffMs: number };
  shutdownTimeoutMs: number;
  /** The libvirt of this machine, registered as host `local` by `start`; undefined when 'none'. */
  localLibvirtUri?: string;
  /** The libvirt network the local host's VMs join, made as a NAT network (with DHCP) when missing; undefined when 'none'. */
  localNetwork?: { name: string; cidr: string };
  /** libvirt URI parameters this installation allows in host URIs besides no_tty (hypervisor/uri.ts). */
  hostUriAllowedParams: string[];
  /** How often open sockets and consoles re-read their credential from the database. */
  socketRecheckMs: number;
  hooksDir?: string;
  /** Where storage pools are made on a host when it has none of the configured names. */
  storageDir: string;
  hostConcurrency: number;
  vmShutdownTimeoutMs: number;
  /** A live migration whose copy has not moved for this long is aborted. */
  migrationStallMs: number;
  reconcileIntervalMs: number;
  /** How long a worker's liveness lock must be seen free before its tasks are recovered (jobs/liveness.ts). */
  workerDeathGraceMs: number;
  /** Test-only (HANGAR_TEST_STEP_HOLD_DIR, unset in production): see jobs/step-hold.ts. */
  testStepHoldDir?: string;
  /** How often a worker removes its hosts' cached copies of images that are gone; 0: never. */
  imageCachePruneMs: number;
  /** How often a worker refreshes the enabled image repositories' indexes; 0: only when an admin asks. */
  repositoryRefreshMs: number;
  /** The image store: uploaded, imported and captured images (shared by API and workers). */
  imageDir: string;
  imageMaxBytes: number;
  /** Private, loopback and link-local ranges an administrator allows image imports from. */
  importAllowedNetworks: string[];
  /** Networks an OIDC issuer may be on although they are loopback or private; http is accepted only there. */
  oidcAllowedNetworks: string[];
  guestAgentTimeoutMs: number;
  /** Disks a VM may have, its boot disk included (attachDisk refuses more). */
  maxDisksPerVm: number;
  metrics: {
    /** How often the collector samples each host. */
    intervalMs: number;
    /** Disk and memory statistics cost more (QMP): read them every this many intervals. */
    slowEvery: number;
    rawRetentionMs: number;
    minuteRetentionMs: number;
    hourRetentionMs: number;
  };
}

export class ConfigError extends Error {}

/** An origin exactly as a browser sends it: http(s), host, optional port, nothing else. */
function isExactOrigin(origin: string): boolean {
  try {
    const url = new URL(origin);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === origin && !origin.includes('*');
  } catch {
    return false;
  }
}

/** Reads the environment; a wrong value throws one line naming the variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = configSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConfigError(`Invalid configuration: ${String(issue.path[0])}: ${issue.message}`);
  }
  const c = parsed.data;
  if (c.HANGAR_LOCAL_LIBVIRT_URI !== 'none') {
    try {
      parseLibvirtUri(c.HANGAR_LOCAL_LIBVIRT_URI, c.HANGAR_HOST_URI_ALLOWED_PARAMS);
    } catch (error) {
      if (error instanceof LibvirtUriError) throw new ConfigError(`Invalid configuration: HANGAR_LOCAL_LIBVIRT_URI: ${error.message}`);
      throw error;
    }
  }
  return {
    port: c.PORT,
    host: c.HOST,
    databaseUrl: c.DATABASE_URL,
    redisUrl: c.REDIS_URL,
    redisChannelPrefix: c.HANGAR_REDIS_CHANNEL_PREFIX,
    dataDir: c.HANGAR_DATA_DIR,
    publicUrl: c.HANGAR_PUBLIC_URL,
    logLevel: c.LOG_LEVEL,
    sessionTtlMs: c.HANGAR_SESSION_TTL_HOURS * 3600_000,
    maxBodyBytes: c.HANGAR_MAX_BODY_BYTES,
    corsOrigins: c.HANGAR_CORS_ORIGINS,
    uploads: { maxConcurrent: c.HANGAR_UPLOAD_MAX_CONCURRENT, maxConcurrentPerUser: c.HANGAR_UPLOAD_MAX_CONCURRENT_PER_USER },
    login: {
      maxFailures: c.HANGAR_LOGIN_MAX_FAILURES,
      maxFailuresPerAddress: c.HANGAR_LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowMs: c.HANGAR_LOGIN_WINDOW_SECONDS * 1000,
      backoffMs: c.HANGAR_LOGIN_BACKOFF_SECONDS * 1000,
    },
    shutdownTimeoutMs: c.HANGAR_SHUTDOWN_TIMEOUT_SECONDS * 1000,
    localLibvirtUri: c.HANGAR_LOCAL_LIBVIRT_URI === 'none' ? undefined : c.HANGAR_LOCAL_LIBVIRT_URI,
    localNetwork: c.HANGAR_LOCAL_NETWORK === 'none' ? undefined : { name: c.HANGAR_LOCAL_NETWORK, cidr: c.HANGAR_LOCAL_NETWORK_CIDR },
    hostUriAllowedParams: c.HANGAR_HOST_URI_ALLOWED_PARAMS,
    socketRecheckMs: c.HANGAR_SOCKET_RECHECK_SECONDS * 1000,
    hooksDir: c.HANGAR_HOOKS_DIR,
    storageDir: c.HANGAR_STORAGE_DIR,
    hostConcurrency: c.HANGAR_HOST_CONCURRENCY,
    vmShutdownTimeoutMs: c.HANGAR_VM_SHUTDOWN_TIMEOUT_SECONDS * 1000,
    reconcileIntervalMs: c.HANGAR_RECONCILE_SECONDS * 1000,
    migrationStallMs: c.HANGAR_MIGRATION_STALL_SECONDS * 1000,
    workerDeathGraceMs: c.HANGAR_WORKER_DEATH_GRACE_SECONDS * 1000,
    testStepHoldDir: c.HANGAR_TEST_STEP_HOLD_DIR,
    imageCachePruneMs: c.HANGAR_IMAGE_CACHE_PRUNE_SECONDS * 1000,
    repositoryRefreshMs: c.HANGAR_REPOSITORY_REFRESH_SECONDS * 1000,
    // An in-memory database (tests) has no data folder: its images go to a temporary one.
    imageDir: c.HANGAR_IMAGE_DIR ?? (c.HANGAR_DATA_DIR === 'memory://' ? join(tmpdir(), 'hangar-images') : join(c.HANGAR_DATA_DIR, 'images')),
    imageMaxBytes: c.HANGAR_IMAGE_MAX_BYTES,
    importAllowedNetworks: c.HANGAR_IMPORT_ALLOWED_NETWORKS.split(',').map((s) => s.trim()).filter(Boolean),
    oidcAllowedNetworks: c.HANGAR_OIDC_ALLOWED_NETWORKS.split(',').map((s) => s.trim()).filter(Boolean),
    guestAgentTimeoutMs: c.HANGAR_GUEST_AGENT_TIMEOUT_SECONDS * 1000,
    maxDisksPerVm: c.HANGAR_MAX_DISKS_PER_VM,
    metrics: {
      intervalMs: c.HANGAR_METRICS_INTERVAL_SECONDS * 1000,
      slowEvery: c.HANGAR_METRICS_SLOW_EVERY,
      rawRetentionMs: c.HANGAR_METRICS_RAW_RETENTION_HOURS * 3600_000,
      minuteRetentionMs: c.HANGAR_METRICS_MINUTE_RETENTION_DAYS * 86400_000,
      hourRetentionMs: c.HANGAR_METRICS_HOUR_RETENTION_DAYS * 86400_000,
    },
  };
}
