import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
type Json<T> = ColumnType<T, string | T | undefined, string | T>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  name: string;
  password_hash: string;
  disabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface RolesTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  built_in: Generated<boolean>;
  /** Its holders must enrol a second factor before they can do anything else. */
  requires_second_factor: Generated<boolean>;
  created_at: Timestamp;
}

export interface RolePrivilegesTable {
  role_id: string;
  privilege: string;
}

export interface UserRolesTable {
  user_id: string;
  role_id: string;
}

export interface SessionsTable {
  id: Generated<string>;
  user_id: string;
  token_hash: string;
  ip: string | null;
  user_agent: string | null;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ApiTokensTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  token_hash: string;
  privileges: string[];
  created_at: Timestamp;
  expires_at: NullableTimestamp;
  revoked_at: NullableTimestamp;
  /** The token that created this one (null: made by a session); revoked with it, never outlives it. */
  parent_id: Generated<string | null>;
}

/** Sign-in throttling counters (login-throttle.ts): `pair:<email> <address>` and `address:<address>`. */
export interface LoginThrottleTable {
  key: string;
  failures: number;
  window_started_at: Generated<Date>;
  blocked_until: Generated<Date>;
  updated_at: Generated<Date>;
}

/** A user's TOTP (RFC 6238) secret; it counts only once confirmed. */
export interface TotpSecretsTable {
  user_id: string;
  secret: string;
  confirmed_at: NullableTimestamp;
  /** The time step of the last accepted code (bigint: a string when read). */
  last_used_step: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  created_at: Timestamp;
}

export interface WebauthnCredentialsTable {
  id: Generated<string>;
  user_id: string;
  /** base64url, as WebAuthn names it. */
  credential_id: string;
  public_key: Buffer;
  counter: ColumnType<string, number | string | undefined, number | string>;
  transports: Generated<string[]>;
  name: string;
  created_at: Timestamp;
  last_used_at: NullableTimestamp;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: string;
  used_at: NullableTimestamp;
}

/** A sign-in waiting for its second factor ('login'), or a passkey registration under way. */
export interface SecondFactorChallengesTable {
  id: Generated<string>;
  user_id: string;
  purpose: 'login' | 'passkey-registration';
  token_hash: string | null;
  password_hash: string | null;
  webauthn_challenge: string | null;
  attempts: Generated<number>;
  expires_at: Timestamp;
  created_at: Timestamp;
}

/** An OpenID Provider users may sign in with (oidc.ts); client_secret never leaves the server. */
export interface OidcProvidersTable {
  id: Generated<string>;
  name: string;
  issuer: string;
  client_id: string;
  client_secret: string;
  scopes: Generated<string>;
  username_claim: Generated<string>;
  email_claim: Generated<string>;
  name_claim: Generated<string>;
  groups_claim: Generated<string>;
  create_users: Generated<boolean>;
  enabled: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

/** A group in the provider's groups claim gives its members this role, set again at every sign-in. */
export interface OidcGroupRolesTable {
  provider_id: string;
  group_name: string;
  role_id: string;
}

/** A provider's account (its sub) signs in as this Hangar user. */
export interface OidcIdentitiesTable {
  provider_id: string;
  subject: string;
  user_id: string;
  username: string | null;
  created_at: Timestamp;
  last_login_at: NullableTimestamp;
}

/** A sign-in sent to the provider and not back yet. */
export interface OidcLoginsTable {
  id: Generated<string>;
  provider_id: string;
  browser_hash: string;
  state: string;
  nonce: string;
  code_verifier: string;
  expires_at: Timestamp;
}

export interface QuotasTable {
  user_id: string;
  max_vcpus: number | null;
  max_memory_mb: number | null;
  max_disk_gb: number | null;
  max_vms: number | null;
  max_snapshots_per_vm: Generated<number | null>;
  updated_at: Timestamp;
}

export interface HostsTable {
  id: Generated<string>;
  name: string;
  uri: string;
  status: Generated<string>;
  status_message: string | null;
  maintenance: Generated<boolean>;
  settings: Json<Record<string, unknown>>;
  capabilities: Json<Record<string, unknown>>;
  last_seen_at: NullableTimestamp;
  created_at: Timestamp;
  /** kvm or qemu (TCG), chosen by probing when the host is added. */
  domain_type: Generated<string>;
  domain_type_reason: string | null;
}

export interface ImagesTable {
  id: Generated<string>;
  name: string;
  os_family: string | null;
  os_version: string | null;
  format: string | null;
  virtual_size_bytes: ColumnType<string | null, number | string | null, number | string | null>;
  file_size_bytes: ColumnType<string | null, number | string | null, number | string | null>;
  sha256: string | null;
  min_disk_gb: number | null;
  min_memory_mb: number | null;
  cloud_init: Generated<boolean>;
  default_user: string | null;
  owner_id: string | null;
  visibility: Generated<string>;
  status: Generated<string>;
  source: string | null;
  created_at: Timestamp;
  status_message: string | null;
  updated_at: Timestamp;
  /** Installed from this repository entry (null when not, or when the repository is gone). */
  repository_image_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** The entry's version it was installed as. */
  repository_version: ColumnType<string | null, string | null | undefined, string | null>;
  /** 'disk' (a VM's disk is made from it) or 'iso' (a CD/DVD image for a VM's CD-ROM). */
  kind: Generated<string>;
}

export interface ImageSharesTable {
  image_id: string;
  user_id: string;
}

/** What cloud-init is told on every install of a VM (reinstall reuses it). */
export interface GuestConfig {
  hostname: string;
  user: string;
  passwordHash: string | null;
  sshKeys: string[];
  timezone: string;
  firstBootScript: string | null;
  fullCopy: boolean;
}

export interface IpPoolsTable {
  id: Generated<string>;
  name: string;
  host_id: string;
  cidr: string;
  gateway: string | null;
  dns: Json<string[]>;
  range_start: string;
  range_end: string;
  created_at: Timestamp;
}

export interface IpAllocationsTable {
  pool_id: string;
  address: string;
  vm_id: string;
  created_at: Timestamp;
  /** The interface it is configured on (null only for rows written before interfaces existed). */
  interface_id: ColumnType<string | null, string | null | undefined, string | null>;
}

/** A VM's snapshot (internal, in its qcow2 disk; libvirt names it by this row's id). */
export interface VmSnapshotsTable {
  id: Generated<string>;
  vm_id: string;
  name: string;
  description: Generated<string>;
  parent_id: string | null;
  created_by: string | null;
  created_at: Timestamp;
  status: Generated<'creating' | 'ready' | 'deleting'>;
  includes_memory: boolean;
  quiesced: Generated<boolean>;
  is_current: Generated<boolean>;
  size_bytes: ColumnType<string | null, number | string | null, number | string | null>;
}

export interface VmsTable {
  id: Generated<string>;
  name: string;
  description: Generated<string>;
  owner_id: string;
  host_id: string | null;
  image_id: string | null;
  vcpus: number;
  memory_mb: number;
  disk_gb: number;
  state: Generated<string>;
  created_at: Timestamp;
  updated_at: Timestamp;
  iso_path: string | null;
  /** Why the VM is in its state (an error, an unreachable host). */
  state_message: string | null;
  deleted_at: NullableTimestamp;
  mac_address: string | null;
  guest_config: ColumnType<GuestConfig | null, string | GuestConfig | null | undefined, string | GuestConfig | null>;
  /** What its NIC attaches to, fixed when it is made; null: it has no NIC. */
  network: ColumnType<VmNetwork | null, string | null | undefined, string | null>;
  /** Lowercase words and dashes, at most 20 (vm-details.ts checks them). */
  tags: Generated<string[]>;
  /** The ISO of the catalogue in its CD-ROM (vm-media.ts). */
  cdrom_image_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** Devices it boots from, in order: hd, cdrom, network. */
  boot_order: Generated<string[]>;
  /** Its next start boots the CD-ROM first; the one after boots as boot_order says. */
  boot_once: Generated<boolean>;
}

/** One NIC of a VM (position 0: the one it was made with). */
export interface VmInterfacesTable {
  id: Generated<string>;
  vm_id: string;
  position: number;
  mac_address: string;
  network: ColumnType<VmNetwork, string, string>;
  /** libvirt <bandwidth>, KiB/s and KiB; null: no limit. */
  bandwidth: ColumnType<InterfaceBandwidth | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface BandwidthLimit {
  average: number;
  peak?: number | null;
  burst?: number | null;
}

export interface InterfaceBandwidth {
  inbound?: BandwidthLimit | null;
  outbound?: BandwidthLimit | null;
}

/** A libvirt network or a host bridge. */
export interface VmNetwork {
  kind: 'network' | 'bridge';
  name: string;
}

/** Per-disk I/O limits (libvirt <iotune>): bytes per second and operations per second; absent: unlimited. */
export interface DiskIoLimits {
  totalBytesSec?: number | null;
  readBytesSec?: number | null;
  writeBytesSec?: number | null;
  totalIopsSec?: number | null;
  readIopsSec?: number | null;
  writeIopsSec?: number | null;
}

export type DiskBus = 'virtio' | 'scsi' | 'sata';

/** One of a VM's disks: its boot disk (is_boot) or one attached later. */
export interface VmDisksTable {
  id: Generated<string>;
  vm_id: string;
  volume: string;
  /** null: the disk pool of the VM's host. */
  pool: string | null;
  size_gb: number;
  bus: ColumnType<DiskBus, DiskBus | undefined, DiskBus>;
  /** The device name in the domain (vda, vdb, sdc…). */
  target: string;
  boot_order: number | null;
  is_boot: Generated<boolean>;
  io_limits: ColumnType<DiskIoLimits | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}
export type VmDiskRow = Selectable<VmDisksTable>;

export interface TasksTable {
  id: Generated<string>;
  operation: string;
  vm_id: string | null;
  host_id: string | null;
  user_id: string | null;
  request_id: string | null;
  status: Generated<string>;
  error: string | null;
  created_at: Timestamp;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
  job_id: string | null;
  /** The worker running it; a task whose worker is gone is recovered. */
  worker_id: string | null;
  params: Json<Record<string, unknown>>;
  /** Set by cancelTask on a running task: it stops before its next step and rolls back. */
  cancel_requested_at: NullableTimestamp;
  /** The VM's state when the task was queued: a task cancelled before it ran gives it back. */
  vm_state_before: string | null;
  /** The drain (host.drain) that queued this migration; its steps are its children. */
  parent_task_id: Generated<string | null>;
}

/** What a failed migration made on a host that did not answer then: removed when it answers again. */
export interface HostLeftoversTable {
  host_id: string;
  vm_id: string;
  reason: string;
  created_at: Generated<Date>;
}

export interface TaskLogTable {
  id: ColumnType<string, never, never>;
  task_id: string;
  at: Timestamp;
  line: string;
  /** The line makes the task's outcome a warning (see Task.warnings). */
  warning: Generated<boolean>;
}

export interface TaskStepsTable {
  task_id: string;
  position: number;
  name: string;
  state: Generated<string>;
  progress: Generated<number>;
  message: string | null;
  started_at: NullableTimestamp;
  finished_at: NullableTimestamp;
}

export interface AuditLogTable {
  id: ColumnType<string, never, never>;
  at: Timestamp;
  actor_id: string | null;
  actor_name: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  request_id: string;
  ip: string | null;
  result: string;
  detail: Json<Record<string, unknown>>;
}

// Metric columns are named from server/events/samples.ts (snake_case of each field).
type Figures<Columns extends string> = { [C in Columns]: number | null };
type VmColumns = 'cpu_percent' | 'memory_used_bytes' | 'memory_available_bytes' | 'disk_read_bytes_per_second' | 'disk_write_bytes_per_second' | 'disk_read_ops_per_second' | 'disk_write_ops_per_second' | 'net_rx_bytes_per_second' | 'net_tx_bytes_per_second' | 'net_rx_packets_per_second' | 'net_tx_packets_per_second';
type HostColumns = 'cpu_percent' | 'memory_used_bytes' | 'memory_total_bytes' | 'vms_running' | 'disk_read_bytes_per_second' | 'disk_write_bytes_per_second' | 'net_rx_bytes_per_second' | 'net_tx_bytes_per_second';
type Rolled<Columns extends string> = Figures<`${Columns}_avg` | `${Columns}_max`> & { resolution: number; at: Timestamp; samples: number };

export type VmMetricSamplesTable = Figures<VmColumns> & { vm_id: string; at: Timestamp };
export type HostMetricSamplesTable = Figures<HostColumns> & { host_id: string; at: Timestamp };
export type VmMetricRollupsTable = Rolled<VmColumns> & { vm_id: string };
export type HostMetricRollupsTable = Rolled<HostColumns> & { host_id: string };

/** The newest cumulative libvirt totals of a VM (migration 0021); null where the reading had none. */
export interface VmMetricCountersTable {
  vm_id: string;
  at: Timestamp;
  cpu_seconds: number | null;
  disk_read_bytes: number | null;
  disk_write_bytes: number | null;
  disk_read_ops: number | null;
  disk_write_ops: number | null;
  net_rx_bytes: number | null;
  net_tx_bytes: number | null;
  net_rx_packets: number | null;
  net_tx_packets: number | null;
}

export interface MetricRollupMarksTable {
  resolution: number;
  done_until: Timestamp;
}

export interface CollectorsTable {
  id: string;
  started_at: Timestamp;
  seen_at: Timestamp;
}

export interface CollectorLeasesTable {
  host_id: string;
  collector_id: string | null;
  expires_at: Timestamp;
}

/** Only the hash of a console ticket is kept; the row is deleted when the ticket is used. */
export interface ConsoleTicketsTable {
  token_hash: string;
  user_id: string;
  vm_id: string;
  session_id: string | null;
  api_token_id: string | null;
  /** The request that asked for the ticket, to trace the console session back to it. */
  request_id: string;
  created_at: Timestamp;
  expires_at: Timestamp;
}

export interface ImageCacheCopiesTable {
  host_id: string;
  /** The volume in the host's image pool (cachedImageName). */
  name: string;
  sha256: string;
  used_at: Timestamp;
}

export interface ImageRepositoriesTable {
  id: Generated<string>;
  name: string;
  /** The simplestreams base URL (index at streams/v1/index.json), or builtin:<name>. */
  url: string;
  builtin: Generated<boolean>;
  enabled: Generated<boolean>;
  /** Armoured OpenPGP public key; null: the index is read unsigned. */
  signing_key: ColumnType<string | null, string | null | undefined, string | null>;
  refreshed_at: NullableTimestamp;
  refresh_error: ColumnType<string | null, string | null | undefined, string | null>;
  refresh_error_reason: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
}

export interface RepositoryImagesTable {
  id: Generated<string>;
  repository_id: string;
  product: string;
  version: string;
  name: string;
  os_family: string | null;
  os_version: string | null;
  arch: string | null;
  default_user: string | null;
  min_disk_gb: number | null;
  min_memory_mb: number | null;
  cloud_init: Generated<boolean>;
  url: string;
  format: string | null;
  size_bytes: ColumnType<string | null, number | string | null, number | string | null>;
  checksum_algorithm: string;
  checksum: string;
  version_seen_at: Generated<Date>;
  install_error: ColumnType<string | null, string | null | undefined, string | null>;
  install_error_reason: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface BackupTargetsTable {
  id: Generated<string>;
  name: string;
  /** null: a shared path every host sees at the same place. */
  host_id: string | null;
  /** The libvirt storage pool the backups go into (on host_id, or made on each host for a shared path). */
  pool: string;
  path: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

/** One disk of a backup: the domain's target (vda), its file in the target pool and its size. */
export interface BackupDisk {
  target: string;
  /** The volume's name in the target's pool. */
  volume: string;
  path: string;
  virtualSizeBytes: number;
}

/** What restoring a backup as a new VM needs of the VM it was taken from. */
export interface BackupVmSpec {
  vcpus: number;
  memoryMb: number;
  diskGb: number;
  imageId: string | null;
  description: string;
}

export interface BackupsTable {
  id: Generated<string>;
  vm_id: string | null;
  owner_id: string;
  vm_name: string;
  vm_spec: Json<BackupVmSpec>;
  target_id: string;
  host_id: string | null;
  kind: Generated<'full' | 'incremental'>;
  parent_id: string | null;
  checkpoint: string | null;
  /** Why a full backup was full (the first, a broken chain, the cap). */
  reason: string | null;
  status: Generated<'queued' | 'running' | 'ready' | 'failed'>;
  error: string | null;
  disks: Json<BackupDisk[]>;
  size_bytes: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  read_bytes: ColumnType<string | null, number | string | null | undefined, number | string | null>;
  /** 1 for a full backup, its parent's + 1 for an incremental. */
  chain_length: Generated<number>;
  task_id: string | null;
  schedule_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  finished_at: NullableTimestamp;
}

/** What a schedule's last run did, VM by VM. */
export interface BackupScheduleRun {
  startedAt: string;
  finishedAt: string | null;
  /** Why nothing ran at all (the owner may no longer back up, say), or null. */
  skipped: string | null;
  vms: Array<{ vmId: string; vmName: string; backupId: string | null; status: 'backed-up' | 'failed' | 'skipped'; reason: string | null }>;
  pruned: string[];
}

export interface BackupSchedulesTable {
  id: Generated<string>;
  name: string;
  owner_id: string;
  vm_ids: Generated<string[]>;
  tag: string | null;
  target_id: string;
  cron: string;
  timezone: Generated<string>;
  chain_cap: Generated<number>;
  keep_last: Generated<number>;
  keep_daily: Generated<number>;
  keep_weekly: Generated<number>;
  keep_monthly: Generated<number>;
  enabled: Generated<boolean>;
  last_run_at: NullableTimestamp;
  last_run: ColumnType<BackupScheduleRun | null, string | null | undefined, string | null>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}

export interface Database {
  users: UsersTable;
  roles: RolesTable;
  role_privileges: RolePrivilegesTable;
  user_roles: UserRolesTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  login_throttle: LoginThrottleTable;
  totp_secrets: TotpSecretsTable;
  webauthn_credentials: WebauthnCredentialsTable;
  recovery_codes: RecoveryCodesTable;
  second_factor_challenges: SecondFactorChallengesTable;
  oidc_providers: OidcProvidersTable;
  oidc_group_roles: OidcGroupRolesTable;
  oidc_identities: OidcIdentitiesTable;
  oidc_logins: OidcLoginsTable;
  quotas: QuotasTable;
  hosts: HostsTable;
  images: ImagesTable;
  image_shares: ImageSharesTable;
  ip_pools: IpPoolsTable;
  ip_allocations: IpAllocationsTable;
  vms: VmsTable;
  vm_disks: VmDisksTable;
  vm_snapshots: VmSnapshotsTable;
  vm_interfaces: VmInterfacesTable;
  tasks: TasksTable;
  task_steps: TaskStepsTable;
  task_log: TaskLogTable;
  host_leftovers: HostLeftoversTable;
  audit_log: AuditLogTable;
  vm_metric_samples: VmMetricSamplesTable;
  vm_metric_counters: VmMetricCountersTable;
  host_metric_samples: HostMetricSamplesTable;
  vm_metric_rollups: VmMetricRollupsTable;
  host_metric_rollups: HostMetricRollupsTable;
  metric_rollup_marks: MetricRollupMarksTable;
  collectors: CollectorsTable;
  collector_leases: CollectorLeasesTable;
  console_tickets: ConsoleTicketsTable;
  image_cache_copies: ImageCacheCopiesTable;
  image_repositories: ImageRepositoriesTable;
  repository_images: RepositoryImagesTable;
  backup_targets: BackupTargetsTable;
  backups: BackupsTable;
  backup_schedules: BackupSchedulesTable;
}

export type UserRow = Selectable<UsersTable>;
/** A user as the API may show it: everything but the password hash. */
export type PublicUser = Omit<UserRow, 'password_hash'>;
export const PUBLIC_USER_COLUMNS = ['id', 'email', 'name', 'disabled', 'created_at', 'updated_at'] as const;
export type RoleRow = Selectable<RolesTable>;
export type OidcProviderRow = Selectable<OidcProvidersTable>;
export type ApiTokenRow = Selectable<ApiTokensTable>;
export type QuotaRow = Selectable<QuotasTable>;
export type HostRow = Selectable<HostsTable>;
export type VmRow = Selectable<VmsTable>;
export type VmSnapshotRow = Selectable<VmSnapshotsTable>;
export type VmInterfaceRow = Selectable<VmInterfacesTable>;
export type ImageRow = Selectable<ImagesTable>;
export type ImageRepositoryRow = Selectable<ImageRepositoriesTable>;
export type RepositoryImageRow = Selectable<RepositoryImagesTable>;
export type IpPoolRow = Selectable<IpPoolsTable>;
export type TaskRow = Selectable<TasksTable>;
export type TaskStepRow = Selectable<TaskStepsTable>;
export type TaskLogRow = Selectable<TaskLogTable>;
export type AuditEntryRow = Selectable<AuditLogTable>;
export type NewAuditEntry = Insertable<AuditLogTable>;
export type ConsoleTicketRow = Selectable<ConsoleTicketsTable>;
export type BackupTargetRow = Selectable<BackupTargetsTable>;
export type BackupRow = Selectable<BackupsTable>;
export type BackupScheduleRow = Selectable<BackupSchedulesTable>;
