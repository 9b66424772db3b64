/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddHostInput = {
  /** Absent: probed (kvm only where a guest really runs under it) */
  domainType?: DomainType | null | undefined;
  name: string;
  settings?: HostSettingsInput | null | undefined;
  /** e.g. qemu:///system or qemu+ssh://root@host/system */
  uri: string;
};

export type AddOidcProviderInput = {
  clientId: string;
  clientSecret: string;
  /** Default false */
  createUsers?: boolean | null | undefined;
  /** Default email */
  emailClaim?: string | null | undefined;
  /** Default true */
  enabled?: boolean | null | undefined;
  groupRoles?: Array<OidcGroupRoleInput> | null | undefined;
  /** Default groups */
  groupsClaim?: string | null | undefined;
  issuer: string;
  name: string;
  /** Default name */
  nameClaim?: string | null | undefined;
  /** Default "openid email profile" */
  scopes?: string | null | undefined;
  /** Default preferred_username */
  usernameClaim?: string | null | undefined;
};

export type AttachDiskInput = {
  /** VIRTIO unless given */
  bus?: DiskBus | null | undefined;
  ioLimits?: DiskIoLimitsInput | null | undefined;
  /** A storage pool of the VM’s host (administrators of hosts); absent: the host’s disk pool */
  pool?: string | null | undefined;
  sizeGiB: number;
};

/** Either a libvirt network of the VM’s host or a bridge */
export type AttachVmInterfaceInput = {
  bridge?: string | null | undefined;
  /** An address from this IP pool of the VM’s host; absent: the guest asks by DHCP */
  ipPoolId?: string | number | null | undefined;
  network?: string | null | undefined;
};

export type AuditFilter = {
  action?: string | null | undefined;
  actorId?: string | number | null | undefined;
  from?: string | null | undefined;
  requestId?: string | null | undefined;
  result?: AuditResult | null | undefined;
  /** Global id of any object */
  targetId?: string | number | null | undefined;
  to?: string | null | undefined;
};

export type AuditResult =
  /** Refused by a rule or failed; nothing was changed */
  | 'FAILED'
  /** Done */
  | 'OK'
  /** The caller lacked the privilege or was not signed in */
  | 'REFUSED';

export type BackupKind =
  /** Every disk whole */
  | 'FULL'
  /** What changed since its parent */
  | 'INCREMENTAL';

export type BackupRetentionInput = {
  keepDaily?: number | null | undefined;
  keepLast?: number | null | undefined;
  keepMonthly?: number | null | undefined;
  keepWeekly?: number | null | undefined;
};

/** For an update, what is absent or null stays as it is */
export type BackupScheduleInput = {
  chainCap?: number | null | undefined;
  /** Five fields: minute hour day-of-month month day-of-week (e.g. 0 2 * * *) */
  cron?: string | null | undefined;
  enabled?: boolean | null | undefined;
  name?: string | null | undefined;
  retention?: BackupRetentionInput | null | undefined;
  tag?: string | null | undefined;
  targetId?: string | number | null | undefined;
  /** IANA name (default UTC) */
  timezone?: string | null | undefined;
  vmIds?: Array<string | number> | null | undefined;
};

export type BackupScheduleRunVmStatus =
  | 'BACKED_UP'
  | 'FAILED'
  /** Not backed up this time: see reason (busy, gone) */
  | 'SKIPPED';

export type BackupStatus =
  /** See error; nothing of it is left on the target */
  | 'FAILED'
  | 'QUEUED'
  /** Written and verified: it can be restored */
  | 'READY'
  | 'RUNNING';

export type BandwidthLimitInput = {
  /** KiB/s */
  average: number;
  /** KiB */
  burst?: number | null | undefined;
  /** KiB/s */
  peak?: number | null | undefined;
};

export type BootDevice =
  /** The ISO in its CD-ROM */
  | 'CDROM'
  /** The VM’s disk */
  | 'DISK'
  /** PXE from its first network interface */
  | 'NETWORK';

export type ChangePasswordInput = {
  currentPassword: string;
  newPassword: string;
  /** Also revoke your API tokens (default true) */
  revokeApiTokens?: boolean | null | undefined;
};

export type CloneVmInput = {
  /** A standalone copy instead of an overlay on the cached image (always so on another host) */
  full?: boolean | null | undefined;
  /** Another host for the clone (administrators of hosts); absent: the source’s host */
  hostId?: string | number | null | undefined;
  /** The same rules as createVm’s name */
  name: string;
  /** Start the clone when it is made (default true) */
  start?: boolean | null | undefined;
};

export type CreateApiTokenInput = {
  /** 1 to 365; 90 when not given. A token asking makes a child of itself that expires no later than it does and is revoked with it */
  expiresInDays?: number | null | undefined;
  name: string;
  /** A subset of your own privileges */
  privileges: Array<Privilege>;
};

export type CreateBackupTargetInput = {
  /** With pool: a storage pool of that host */
  hostId?: string | number | null | undefined;
  name: string;
  /** Without hostId: a path every host sees (a directory pool is made there on each host) */
  path?: string | null | undefined;
  pool?: string | null | undefined;
};

export type CreateIpPoolInput = {
  /** e.g. 10.20.0.0/24 */
  cidr: string;
  dns?: Array<string> | null | undefined;
  gateway?: string | null | undefined;
  hostId: string | number;
  name: string;
  rangeEnd: string;
  rangeStart: string;
};

export type CreateRoleInput = {
  description?: string | null | undefined;
  name: string;
  privileges: Array<Privilege>;
};

export type CreateSnapshotInput = {
  description?: string | null | undefined;
  /** Unset: with memory when the VM runs (libvirt saves a running VM’s memory with its internal snapshot), without when it is stopped */
  includeMemory?: boolean | null | undefined;
  /** Unique among the VM’s snapshots */
  name: string;
};

export type CreateUserInput = {
  email: string;
  name: string;
  password: string;
  /** Roles to give; the User role when empty */
  roleIds?: Array<string | number> | null | undefined;
};

export type CreateVmInput = {
  description?: string | null | undefined;
  diskGb: number;
  /** cloud-init settings, with imageId */
  guest?: GuestInput | null | undefined;
  /** Place the VM on this host (Host.Manage); absent: the scheduler picks one */
  hostId?: string | number | null | undefined;
  /** Deploy from this image: its disk is an overlay on the image, configured by cloud-init */
  imageId?: string | number | null | undefined;
  /** Install from this ISO of the image library onto the blank disk: it is in the CD-ROM, booted first */
  isoImageId?: string | number | null | undefined;
  /** Boot this ISO, a file on the host (Host.Manage) */
  isoPath?: string | null | undefined;
  memoryMb: number;
  name: string;
  /** Start it once made (default true; a deploy from an image always starts) */
  start?: boolean | null | undefined;
  vcpus: number;
};

export type DiskBus =
  /** Emulated AHCI (sdX): not hot-pluggable, a running VM sees it at its next start */
  | 'SATA'
  /** On a virtio-scsi controller (sdX), hot-pluggable */
  | 'SCSI'
  /** Paravirtual (vdX), hot-pluggable */
  | 'VIRTIO';

/** Per second; absent, null or 0: no limit. A total excludes its read and write pair */
export type DiskIoLimitsInput = {
  readBytesSec?: number | null | undefined;
  readIopsSec?: number | null | undefined;
  totalBytesSec?: number | null | undefined;
  totalIopsSec?: number | null | undefined;
  writeBytesSec?: number | null | undefined;
  writeIopsSec?: number | null | undefined;
};

export type DomainType =
  /** Hardware virtualization */
  | 'KVM'
  /** Emulation (TCG): slower, runs anywhere */
  | 'QEMU';

export type DrainStoppedVms =
  /** Stopped VMs stay on the host (their disks stay there) */
  | 'LEAVE'
  /** Stopped VMs move too (cold: disks copied, domain defined on the other host) */
  | 'MOVE';

export type GuestInput = {
  /** Run once on first boot; starts with #!; at most 64 KiB */
  firstBootScript?: string | null | undefined;
  /** A full copy of the image instead of an overlay (slower; independent of the cached image) */
  fullCopy?: boolean | null | undefined;
  /** Default: made from the VM name */
  hostname?: string | null | undefined;
  /** Hashed (sha512-crypt) before it is stored or sent */
  password?: string | null | undefined;
  sshKeys?: Array<string> | null | undefined;
  /** IANA name, e.g. Europe/Paris (default UTC) */
  timezone?: string | null | undefined;
  /** Default: the image’s default user, else hangar */
  username?: string | null | undefined;
};

export type HostNetworkInput = {
  kind: NetworkKind;
  name: string;
};

export type HostSettingsInput = {
  concurrency?: number | null | undefined;
  cpuOvercommit?: number | null | undefined;
  diskPool?: string | null | undefined;
  /** The disk pool is on storage other hosts see at the same path (NFS, CephFS); say so only when it is */
  diskPoolShared?: boolean | null | undefined;
  imagePool?: string | null | undefined;
  memoryOvercommit?: number | null | undefined;
  /** An IP address of this host other hosts reach; needed for a host added as qemu:///system to receive migrations */
  migrationAddress?: string | null | undefined;
  /** What VM NICs attach to; null: new VMs get no NIC; absent: unchanged (on addHost: Hangar’s network `hangar` when the host has it) */
  network?: HostNetworkInput | null | undefined;
  vncListen?: string | null | undefined;
};

export type HostStatus =
  /** libvirt answers with errors; see statusMessage */
  | 'ERROR'
  /** An administrator keeps new VMs away */
  | 'MAINTENANCE'
  /** libvirt does not answer; see statusMessage */
  | 'OFFLINE'
  /** libvirt answers; VMs can be placed here */
  | 'ONLINE';

export type ImageFilter = {
  /** Only disk images, or only ISOs */
  kind?: ImageKind | null | undefined;
  ownerId?: string | number | null | undefined;
  /** In the name, OS family and version */
  search?: string | null | undefined;
  status?: ImageStatus | null | undefined;
  visibility?: ImageVisibility | null | undefined;
};

export type ImageFormat =
  | 'ISO'
  | 'QCOW2'
  | 'RAW';

export type ImageInput = {
  /** The guest runs cloud-init (default false) */
  cloudInit?: boolean | null | undefined;
  defaultUser?: string | null | undefined;
  /** DISK (default) or ISO: an ISO is checked to be an ISO 9660 or UDF image */
  kind?: ImageKind | null | undefined;
  /** Default: the image’s own size */
  minDiskGb?: number | null | undefined;
  minMemoryMb?: number | null | undefined;
  name: string;
  osFamily?: string | null | undefined;
  osVersion?: string | null | undefined;
};

export type ImageKind =
  /** A disk image (qcow2 or raw) VMs are deployed from */
  | 'DISK'
  /** A CD/DVD image (ISO 9660 or UDF) for a VM’s CD-ROM, or to install a VM from */
  | 'ISO';

export type ImageRejection =
  /** A qcow2 image that depends on a backing file */
  | 'BACKING_FILE'
  /** Damaged or unreadable */
  | 'CORRUPT'
  /** A qcow2 image that keeps its data in an external file */
  | 'DATA_FILE'
  /** Neither qcow2 nor a raw disk with a partition table */
  | 'NOT_AN_IMAGE'
  /** A disk format other than qcow2 or raw (or compressed, encrypted…) */
  | 'UNSUPPORTED_FORMAT';

export type ImageStatus =
  /** Making it failed; see statusMessage */
  | 'ERROR'
  /** Checked and in the store: VMs can be deployed from it */
  | 'READY'
  /** Being imported or captured; see its task */
  | 'UPLOADING';

export type ImageVisibility =
  /** Only its owner (and image managers) */
  | 'PRIVATE'
  /** Every signed-in user */
  | 'PUBLIC'
  /** Its owner and the users it is shared with */
  | 'SHARED';

export type InstallRefusal =
  /** A qcow2 image that depends on a backing file */
  | 'BACKING_FILE'
  /** The downloaded file’s checksum is not the one the index gives */
  | 'CHECKSUM_MISMATCH'
  /** Damaged or unreadable */
  | 'CORRUPT'
  /** A qcow2 image that keeps its data in an external file */
  | 'DATA_FILE'
  /** The download failed (unreachable, refused address, broken off) */
  | 'DOWNLOAD_FAILED'
  /** Neither qcow2 nor a raw disk with a partition table */
  | 'NOT_AN_IMAGE'
  /** The downloaded file’s size is not the one the index gives */
  | 'SIZE_MISMATCH'
  /** A disk format other than qcow2 or raw (or compressed, encrypted…) */
  | 'UNSUPPORTED_FORMAT';

/** Absent or null: no limit that way */
export type InterfaceBandwidthInput = {
  inbound?: BandwidthLimitInput | null | undefined;
  outbound?: BandwidthLimitInput | null | undefined;
};

export type LoginInput = {
  email: string;
  password: string;
};

export type MigrateVmInput = {
  /** Slow a guest that dirties memory faster than it can be copied */
  autoConverge?: boolean | null | undefined;
  /** MiB/s the migration may use; absent: all there is */
  bandwidthMiBs?: number | null | undefined;
  /** The longest the guest may be paused at the switch-over (QEMU’s default: 300) */
  maxDowntimeMs?: number | null | undefined;
  onTimeout?: MigrationTimeoutAction | null | undefined;
  /** Absent: the host with the most free memory that can take the VM */
  targetHostId?: string | number | null | undefined;
  /** A live migration still running after this long is aborted or paused (onTimeout); default 3600 */
  timeoutSeconds?: number | null | undefined;
};

export type MigrationTimeoutAction =
  /** The migration is abandoned; the VM runs on where it was */
  | 'ABORT'
  /** The guest is paused so that the migration finishes, then runs on the target */
  | 'PAUSE';

export type NetworkKind =
  /** A bridge of the host */
  | 'BRIDGE'
  /** A libvirt network (virsh net-list) */
  | 'NETWORK';

export type OidcGroupRoleInput = {
  group: string;
  roleId: string | number;
};

export type Privilege =
  /** Read the audit log */
  | 'Audit_Read'
  /** Add and remove backup targets (storage pools or shared paths for backups) */
  | 'BackupTarget_Manage'
  /** Restore backups of virtual machines you may act on, onto the VM or as a new VM */
  | 'Backup_Restore'
  /** Add, change and remove hypervisor hosts */
  | 'Host_Manage'
  /** See hypervisor hosts and their capacity */
  | 'Host_View'
  /** Upload, import and capture OS images */
  | 'Image_Create'
  /** Manage every image, including public ones */
  | 'Image_Manage'
  /** Share your images with other users */
  | 'Image_Share'
  /** Scrape the metrics of every VM and host at /metrics */
  | 'Metrics_Read'
  /** Create, change and delete roles */
  | 'Role_Manage'
  /** Create, change and disable users, set their roles and quotas */
  | 'User_Manage'
  /** See every user account */
  | 'User_View'
  /** Back up virtual machines you may act on to a backup target */
  | 'VM_Backup'
  /** Open the console of virtual machines */
  | 'VM_Console'
  /** Create and deploy virtual machines */
  | 'VM_Create'
  /** Delete virtual machines */
  | 'VM_Delete'
  /** Act on every virtual machine, not only your own */
  | 'VM_ManageAll'
  /** Move virtual machines between hosts */
  | 'VM_Migrate'
  /** Start, stop, reboot and suspend virtual machines */
  | 'VM_PowerMgmt'
  /** Take, revert to and delete snapshots of virtual machines */
  | 'VM_Snapshot'
  /** Give virtual machines to another user (their quota permitting) */
  | 'VM_Transfer'
  /** See every virtual machine, not only your own */
  | 'VM_ViewAll';

export type QuotaInput = {
  maxDiskGb?: number | null | undefined;
  maxMemoryMb?: number | null | undefined;
  maxSnapshotsPerVm?: number | null | undefined;
  maxVcpus?: number | null | undefined;
  maxVms?: number | null | undefined;
};

export type RepositoryRefusal =
  /** The repository has a signing key and the index is not clearsigned by it, or a vendor checksum file of the built-in repository is not signed by the vendor key shipped with Hangar */
  | 'BAD_SIGNATURE'
  /** Not a simplestreams index (or a checksum file without the image) */
  | 'INVALID_INDEX'
  /** The index (or a vendor checksum file) could not be downloaded, or its address is not allowed */
  | 'UNREACHABLE'
  /** A product, version, user or text in the index is not a safe name */
  | 'UNSAFE_NAME'
  /** A path in the index leaves the repository (.., absolute, another host, escapes) */
  | 'UNSAFE_PATH';

export type ResizeVmInput = {
  /** Disks only grow */
  diskGb?: number | null | undefined;
  memoryMb?: number | null | undefined;
  vcpus?: number | null | undefined;
};

export type RestoreAsNewVmInput = {
  /** Host.Manage only; a host-bound target restores on its own host */
  hostId?: string | number | null | undefined;
  name: string;
};

/** Exactly one of toVm and asNewVm */
export type RestoreBackupInput = {
  asNewVm?: RestoreAsNewVmInput | null | undefined;
  /** Replace the disks of the VM it was taken from (it is powered off) */
  toVm?: boolean | null | undefined;
};

export type SecondFactorMethod =
  /** A passkey or security key (WebAuthn) */
  | 'PASSKEY'
  /** One of the ten one-time recovery codes */
  | 'RECOVERY_CODE'
  /** A six-digit code from an authenticator app (RFC 6238) */
  | 'TOTP';

export type SetHostMaintenanceInput = {
  /** In a drain: slow guests that dirty memory faster than it can be copied */
  autoConverge?: boolean | null | undefined;
  /** In a drain: MiB/s each migration may use */
  bandwidthMiBs?: number | null | undefined;
  /** Also move the host’s VMs to other hosts: running and paused ones live, each placed where there is most room; only with maintenance */
  drain?: boolean | null | undefined;
  /** In maintenance no new VM is placed on the host */
  maintenance: boolean;
  /** In a drain: the longest each guest may be paused at its switch-over */
  maxDowntimeMs?: number | null | undefined;
  /** In a drain: what happens to stopped VMs (default LEAVE) */
  stoppedVms?: DrainStoppedVms | null | undefined;
};

export type SetupAdministratorInput = {
  email: string;
  name: string;
  password: string;
};

export type TaskFilter = {
  from?: string | null | undefined;
  hostId?: string | number | null | undefined;
  status?: TaskStatus | null | undefined;
  to?: string | null | undefined;
  userId?: string | number | null | undefined;
  vmId?: string | number | null | undefined;
};

export type TaskStatus =
  /** Cancelled (cancelTask, or a delete of its VM): it stopped before a step and what it made was rolled back */
  | 'CANCELLED'
  | 'FAILED'
  | 'QUEUED'
  | 'RUNNING'
  /** Done as asked; see warnings for what went other than asked (a forced power-off) */
  | 'SUCCEEDED';

export type TaskStepState =
  | 'DONE'
  | 'FAILED'
  | 'PENDING'
  | 'RUNNING'
  | 'SKIPPED';

export type UpdateHostInput = {
  domainType?: DomainType | null | undefined;
  /** In maintenance no new VM is placed on the host */
  maintenance?: boolean | null | undefined;
  name?: string | null | undefined;
  settings?: HostSettingsInput | null | undefined;
};

export type UpdateOidcProviderInput = {
  clientId?: string | null | undefined;
  /** Left out: the secret stays */
  clientSecret?: string | null | undefined;
  /** Default false */
  createUsers?: boolean | null | undefined;
  /** Default email */
  emailClaim?: string | null | undefined;
  /** Default true */
  enabled?: boolean | null | undefined;
  /** Given: replaces the whole mapping */
  groupRoles?: Array<OidcGroupRoleInput> | null | undefined;
  /** Default groups */
  groupsClaim?: string | null | undefined;
  issuer?: string | null | undefined;
  name?: string | null | undefined;
  /** Default name */
  nameClaim?: string | null | undefined;
  /** Default "openid email profile" */
  scopes?: string | null | undefined;
  /** Default preferred_username */
  usernameClaim?: string | null | undefined;
};

export type UpdateRoleInput = {
  description?: string | null | undefined;
  name?: string | null | undefined;
  privileges?: Array<Privilege> | null | undefined;
};

export type UpdateUserInput = {
  email?: string | null | undefined;
  name?: string | null | undefined;
  /** Sets a new password and ends the user's sessions */
  password?: string | null | undefined;
  /** With a password: also revoke the user's API tokens (default true) */
  revokeApiTokens?: boolean | null | undefined;
};

/** What to change (absent or null: unchanged) */
export type UpdateVmDetailsInput = {
  description?: string | null | undefined;
  /** The same rules as createVm’s name */
  name?: string | null | undefined;
  /** Replaces the tags: at most 20, each lowercase words joined by dashes */
  tags?: Array<string> | null | undefined;
};

export type UserFilter = {
  disabled?: boolean | null | undefined;
  /** Part of the email or name */
  search?: string | null | undefined;
};

/** The pending sign-in's token and exactly one proof */
export type VerifySecondFactorInput = {
  /** The browser's answer as JSON (@simplewebauthn/browser startAuthentication) */
  passkeyResponse?: string | null | undefined;
  recoveryCode?: string | null | undefined;
  token: string;
  totpCode?: string | null | undefined;
};

/** What can be done to a VM (one per operation, see Vm.actions) */
export type VmActionName =
  /** A new blank disk, plugged in while the VM runs */
  | 'ATTACH_DISK'
  /** Adds a network interface (hot-plugged while the VM runs), with an address from an IP pool when asked */
  | 'ATTACH_INTERFACE'
  /** Copies every disk of the VM to a backup target: full the first time, then incremental */
  | 'BACKUP'
  /** Makes a private image of the VM’s disk without its machine identity */
  | 'CAPTURE'
  /** Puts an ISO of the image library into the VM’s CD-ROM, or ejects it */
  | 'CHANGE_MEDIA'
  /** Powers the VM off and removes its domain and every volume */
  | 'DELETE'
  /** Unplugs a disk (the guest lets go of it while it runs); its volume is kept or deleted */
  | 'DETACH_DISK'
  /** Removes a network interface (hot-unplugged while the VM runs) and releases its address */
  | 'DETACH_INTERFACE'
  /** Moves the VM to another host: live while it runs, its disks copied unless both hosts share them */
  | 'MIGRATE'
  /** Sets the login user’s password through the guest agent */
  | 'PASSWORD'
  /** Asks the guest to reboot */
  | 'REBOOT'
  /** A fresh disk from its image, or another one; same VM id, MAC and address */
  | 'REINSTALL'
  /** Resets the VM at once, like the reset button */
  | 'RESET'
  /** New vCPUs and memory (the VM restarts when running) and a bigger disk */
  | 'RESIZE'
  /** Grows a disk, online while the VM runs */
  | 'RESIZE_DISK'
  /** Replaces the VM’s disks with a backup of them (the VM is powered off) */
  | 'RESTORE'
  /** Resumes a paused VM */
  | 'RESUME'
  /** Sets the devices the VM boots from, in order, and whether its next start boots the CD-ROM once */
  | 'SET_BOOT'
  /** Bytes and operations per second a disk may do, changed while the VM runs */
  | 'SET_DISK_LIMITS'
  /** Asks the guest to shut down (ACPI); powers it off when it has not within the timeout */
  | 'SHUTDOWN'
  /** Saves the VM’s disk (and memory when it runs) so that it can be reverted to */
  | 'SNAPSHOT_CREATE'
  /** Removes a snapshot from the VM’s disk, running or not */
  | 'SNAPSHOT_DELETE'
  /** Puts the VM’s disk (and memory, when saved) back as they were in a snapshot */
  | 'SNAPSHOT_REVERT'
  /** Starts the VM */
  | 'START'
  /** Powers the VM off at once, like pulling the plug */
  | 'STOP'
  /** Pauses the VM in memory */
  | 'SUSPEND'
  /** Sets a network interface’s inbound and outbound limits, on the running VM too */
  | 'TUNE_INTERFACE';

export type VmAddressing =
  /** The guest asks the network by DHCP */
  | 'DHCP'
  /** A fixed address from one of the host’s IP pools, set by cloud-init */
  | 'POOL';

export type VmFilter = {
  hostId?: string | number | null | undefined;
  ownerId?: string | number | null | undefined;
  search?: string | null | undefined;
  state?: VmState | null | undefined;
  /** Only VMs with this tag */
  tag?: string | null | undefined;
};

export type VmSnapshotStatus =
  /** Its task is taking it */
  | 'CREATING'
  /** A delete is queued or running */
  | 'DELETING'
  | 'READY';

export type VmState =
  | 'CRASHED'
  /** Being made on its host */
  | 'CREATING'
  | 'DELETED'
  /** A delete is queued or running */
  | 'DELETING'
  /** See stateMessage; the VM can be deleted or its operation retried */
  | 'ERROR'
  /** Moving to another host (a migration is queued or running) */
  | 'MIGRATING'
  /** Suspended in memory */
  | 'PAUSED'
  /** A reboot or reset is queued or running */
  | 'REBOOTING'
  | 'RUNNING'
  /** A start is queued or running */
  | 'STARTING'
  | 'STOPPED'
  /** The guest is shutting down, or a shutdown or power-off is queued */
  | 'STOPPING'
  /** Its host does not answer */
  | 'UNKNOWN';

export type BootstrapQueryVariables = Exact<{ [key: string]: never; }>;


export type BootstrapQuery = { setupRequired: boolean, secondFactorEnrolmentRequired: boolean, me: { id: string, email: string, name: string, privileges: Array<Privilege>, roles: Array<{ name: string }> } | null };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: boolean };

export type MeUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type MeUpdatedSubscription = { userUpdated: { id: string, name: string, email: string, privileges: Array<Privilege> } };

export type LoginMutationVariables = Exact<{
  input: LoginInput;
}>;


export type LoginMutation = { login:
    | { __typename: 'InvalidCredentialsError', message: string }
    | { __typename: 'LoginSuccess', user: { id: string, email: string, name: string } }
    | { __typename: 'LoginThrottledError', message: string }
    | { __typename: 'SecondFactorRequired', token: string, methods: Array<SecondFactorMethod>, passkeyOptions: string | null }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type VerifySecondFactorMutationVariables = Exact<{
  input: VerifySecondFactorInput;
}>;


export type VerifySecondFactorMutation = { verifySecondFactor:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'InvalidCredentialsError', message: string }
    | { __typename: 'LoginSuccess', user: { id: string } }
    | { __typename: 'LoginThrottledError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type SignInProvidersQueryVariables = Exact<{ [key: string]: never; }>;


export type SignInProvidersQuery = { signInProviders: Array<{ id: string, name: string, startUrl: string }> };

export type MySecondFactorQueryVariables = Exact<{ [key: string]: never; }>;


export type MySecondFactorQuery = { mySecondFactor: { totpEnabled: boolean, recoveryCodesLeft: number, required: boolean, enrolmentRequired: boolean, passkeys: Array<{ id: string, name: string, createdAt: string, lastUsedAt: string | null }> } };

export type StartTotpEnrolmentMutationVariables = Exact<{ [key: string]: never; }>;


export type StartTotpEnrolmentMutation = { startTotpEnrolment:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'TotpEnrolment', secret: string, uri: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ConfirmTotpEnrolmentMutationVariables = Exact<{
  code: string;
}>;


export type ConfirmTotpEnrolmentMutation = { confirmTotpEnrolment:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'SecondFactorEnrolled', recoveryCodes: Array<string> }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type RemoveTotpMutationVariables = Exact<{ [key: string]: never; }>;


export type RemoveTotpMutation = { removeTotp:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'SecondFactorSettings', totpEnabled: boolean }
    | { __typename: 'ValidationError', message: string }
   };

export type StartPasskeyRegistrationMutationVariables = Exact<{ [key: string]: never; }>;


export type StartPasskeyRegistrationMutation = { startPasskeyRegistration:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PasskeyRegistration', options: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type FinishPasskeyRegistrationMutationVariables = Exact<{
  response: string;
  name?: string | null | undefined;
}>;


export type FinishPasskeyRegistrationMutation = { finishPasskeyRegistration:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'SecondFactorEnrolled', recoveryCodes: Array<string> }
    | { __typename: 'ValidationError', message: string }
   };

export type RemovePasskeyMutationVariables = Exact<{
  id: string | number;
}>;


export type RemovePasskeyMutation = { removePasskey:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'SecondFactorSettings', totpEnabled: boolean }
    | { __typename: 'ValidationError', message: string }
   };

export type RegenerateRecoveryCodesMutationVariables = Exact<{ [key: string]: never; }>;


export type RegenerateRecoveryCodesMutation = { regenerateRecoveryCodes:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'SecondFactorEnrolled', recoveryCodes: Array<string> }
    | { __typename: 'ValidationError', message: string }
   };

export type SetupAdministratorMutationVariables = Exact<{
  input: SetupAdministratorInput;
}>;


export type SetupAdministratorMutation = { setupAdministrator:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type FirstRunQueryVariables = Exact<{ [key: string]: never; }>;


export type FirstRunQuery = { hosts: Array<{ id: string }>, images: { edges: Array<{ node: { id: string } }> }, vms: { edges: Array<{ node: { id: string } }> } };

export type FirstRunImagesSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type FirstRunImagesSubscription = { imagesUpdated: { id: string } };

export type FirstRunVmsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type FirstRunVmsSubscription = { vmsUpdated: { id: string } };

export type UpdateHostSettingsMutationVariables = Exact<{
  id: string | number;
  input: UpdateHostInput;
}>;


export type UpdateHostSettingsMutation = { updateHost:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'Host', id: string, name: string, uri: string, status: HostStatus, statusMessage: string | null, maintenance: boolean, domainType: DomainType, domainTypeReason: string | null, lastSeenAt: string | null, capabilities: { cpus: number, memoryMb: number, cpuModel: string, arch: string, nested: boolean, libvirtVersion: string, hypervisorVersion: string }, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number }, settings: { cpuOvercommit: number, memoryOvercommit: number, concurrency: number, diskPool: string, imagePool: string, vncListen: string, network: { kind: NetworkKind, name: string } | null }, ipPools: Array<{ id: string, name: string, cidr: string, gateway: string | null, rangeStart: string, rangeEnd: string, size: number, used: number, dns: Array<string> }> }
    | { __typename: 'HostConnectionError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type DrainHostMutationVariables = Exact<{
  id: string | number;
  input: SetHostMaintenanceInput;
}>;


export type DrainHostMutation = { setHostMaintenance:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'SetHostMaintenancePayload', host: { id: string, name: string, uri: string, status: HostStatus, statusMessage: string | null, maintenance: boolean, domainType: DomainType, domainTypeReason: string | null, lastSeenAt: string | null, capabilities: { cpus: number, memoryMb: number, cpuModel: string, arch: string, nested: boolean, libvirtVersion: string, hypervisorVersion: string }, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number }, settings: { cpuOvercommit: number, memoryOvercommit: number, concurrency: number, diskPool: string, imagePool: string, vncListen: string, network: { kind: NetworkKind, name: string } | null }, ipPools: Array<{ id: string, name: string, cidr: string, gateway: string | null, rangeStart: string, rangeEnd: string, size: number, used: number, dns: Array<string> }> }, task: { id: string } | null }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ImageRowFragment = { id: string, name: string, osFamily: string | null, osVersion: string | null, status: ImageStatus, statusMessage: string | null, format: ImageFormat | null, fileSizeBytes: number | null, virtualSizeBytes: number | null, visibility: ImageVisibility, cloudInit: boolean, defaultUser: string | null, minDiskGb: number | null, minMemoryMb: number | null, source: string | null, createdAt: string, sha256: string | null, owner: { id: string, name: string } | null, sharedWith: Array<{ id: string, name: string }> };

export type ImagesQueryVariables = Exact<{
  filter?: ImageFilter | null | undefined;
}>;


export type ImagesQuery = { images: { edges: Array<{ node: { id: string, name: string, osFamily: string | null, osVersion: string | null, status: ImageStatus, statusMessage: string | null, format: ImageFormat | null, fileSizeBytes: number | null, virtualSizeBytes: number | null, visibility: ImageVisibility, cloudInit: boolean, defaultUser: string | null, minDiskGb: number | null, minMemoryMb: number | null, source: string | null, createdAt: string, sha256: string | null, owner: { id: string, name: string } | null, sharedWith: Array<{ id: string, name: string }> } }> } };

export type ImagesUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ImagesUpdatedSubscription = { imagesUpdated: { id: string, image: { id: string, name: string, osFamily: string | null, osVersion: string | null, status: ImageStatus, statusMessage: string | null, format: ImageFormat | null, fileSizeBytes: number | null, virtualSizeBytes: number | null, visibility: ImageVisibility, cloudInit: boolean, defaultUser: string | null, minDiskGb: number | null, minMemoryMb: number | null, source: string | null, createdAt: string, sha256: string | null, owner: { id: string, name: string } | null, sharedWith: Array<{ id: string, name: string }> } | null } };

export type UploadImageMutationVariables = Exact<{
  input: ImageInput;
  file: File;
}>;


export type UploadImageMutation = { uploadImage:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'Image', id: string, name: string, status: ImageStatus }
    | { __typename: 'ImageRejectedError', reason: ImageRejection, message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ImportImageMutationVariables = Exact<{
  input: ImageInput;
  url: string;
}>;


export type ImportImageMutation = { importImage:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'ImportImagePayload', image: { id: string, name: string, status: ImageStatus }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ShareImageMutationVariables = Exact<{
  id: string | number;
  visibility: ImageVisibility;
  userIds?: Array<string | number> | string | number | null | undefined;
}>;


export type ShareImageMutation = { shareImage:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'Image', id: string, visibility: ImageVisibility, sharedWith: Array<{ id: string, name: string }> }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type DeleteImageMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteImageMutation = { deleteImage:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'Image', id: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ShareCandidatesQueryVariables = Exact<{ [key: string]: never; }>;


export type ShareCandidatesQuery = { users: { edges: Array<{ node: { id: string, name: string, email: string } }> } };

export type CaptureVmsQueryVariables = Exact<{ [key: string]: never; }>;


export type CaptureVmsQuery = { vms: { edges: Array<{ node: { id: string, name: string, state: VmState, image: { id: string } | null } }> } };

export type RepositoryImagesQueryVariables = Exact<{ [key: string]: never; }>;


export type RepositoryImagesQuery = { repositoryImages: Array<{ id: string, product: string, version: string, name: string, osFamily: string | null, osVersion: string | null, arch: string | null, defaultUser: string | null, minDiskGb: number | null, minMemoryMb: number | null, sizeBytes: number | null, checksumAlgorithm: string, installed: boolean, updateAvailable: boolean, versionSeenAt: string, repository: { id: string, name: string }, image: { id: string, status: ImageStatus } | null, installFailure: { reason: InstallRefusal, message: string } | null, installTask: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } | null }> };

export type ImageRepositoriesQueryVariables = Exact<{ [key: string]: never; }>;


export type ImageRepositoriesQuery = { imageRepositories: Array<{ id: string, name: string, url: string, builtin: boolean, signed: boolean, enabled: boolean, refreshedAt: string | null, refreshFailure: { reason: RepositoryRefusal, message: string } | null }> };

export type InstallRepositoryImageMutationVariables = Exact<{
  id: string | number;
}>;


export type InstallRepositoryImageMutation = { installRepositoryImage:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'InstallRepositoryImagePayload', image: { id: string, name: string, status: ImageStatus }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type AddImageRepositoryMutationVariables = Exact<{
  name: string;
  url: string;
  signingKey?: string | null | undefined;
}>;


export type AddImageRepositoryMutation = { addImageRepository:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'RefreshImageRepositoryPayload', added: number, updated: number, repository: { id: string, name: string } }
    | { __typename: 'RepositoryIndexError', reason: RepositoryRefusal, message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type RefreshImageRepositoryMutationVariables = Exact<{
  id: string | number;
}>;


export type RefreshImageRepositoryMutation = { refreshImageRepository:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'RefreshImageRepositoryPayload', added: number, updated: number }
    | { __typename: 'RepositoryIndexError', reason: RepositoryRefusal, message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type SetImageRepositoryEnabledMutationVariables = Exact<{
  id: string | number;
  enabled: boolean;
}>;


export type SetImageRepositoryEnabledMutation = { setImageRepositoryEnabled:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'ImageRepository', id: string, enabled: boolean }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type RepositoryImagesChangedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type RepositoryImagesChangedSubscription = { imagesUpdated: { id: string } };

export type AuditEntryFieldsFragment = { id: string, at: string, action: string, result: AuditResult, requestId: string, actorName: string | null, address: string | null, detail: string, target: { type: string, id: string, name: string | null, exists: boolean } | null, actor: { id: string, name: string } | null };

export type AuditLogQueryVariables = Exact<{
  filter?: AuditFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type AuditLogQuery = { auditLog: { edges: Array<{ node: { id: string, at: string, action: string, result: AuditResult, requestId: string, actorName: string | null, address: string | null, detail: string, target: { type: string, id: string, name: string | null, exists: boolean } | null, actor: { id: string, name: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type AuditActionsQueryVariables = Exact<{ [key: string]: never; }>;


export type AuditActionsQuery = { auditActions: Array<string> };

export type AuditAddedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type AuditAddedSubscription = { auditEntryAdded: { id: string, at: string, action: string, result: AuditResult, requestId: string, actorName: string | null, address: string | null, detail: string, target: { type: string, id: string, name: string | null, exists: boolean } | null, actor: { id: string, name: string } | null } };

export type BackupTargetsQueryVariables = Exact<{ [key: string]: never; }>;


export type BackupTargetsQuery = { backupTargets: Array<{ id: string, name: string, shared: boolean, pool: string, path: string, createdAt: string, host: { id: string, name: string } | null }> };

export type BackupTargetHostsQueryVariables = Exact<{ [key: string]: never; }>;


export type BackupTargetHostsQuery = { hosts: Array<{ id: string, name: string }> };

export type CreateBackupTargetMutationVariables = Exact<{
  input: CreateBackupTargetInput;
}>;


export type CreateBackupTargetMutation = { createBackupTarget:
    | { __typename: 'BackupTarget', id: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'HostConnectionError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type DeleteBackupTargetMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteBackupTargetMutation = { deleteBackupTarget:
    | { __typename: 'BackupTarget', id: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ClusterMetricsHistoryQueryVariables = Exact<{
  from: string;
}>;


export type ClusterMetricsHistoryQuery = { clusterMetricsHistory: { resolutionSeconds: number, times: Array<number>, series: Array<{ name: string, avg: Array<number | null> }> } };

export type ClusterMetricsLiveSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ClusterMetricsLiveSubscription = { clusterMetrics: { at: string, cpuPercent: number | null, memoryUsedBytes: number | null, memoryTotalBytes: number | null } };

export type DashboardQueryVariables = Exact<{
  withHosts: boolean;
}>;


export type DashboardQuery = { vms: { edges: Array<{ node: { id: string, name: string, state: VmState, vcpus: number, memoryMb: number, diskGb: number } }>, pageInfo: { hasNextPage: boolean } }, hosts?: Array<{ id: string, name: string, status: HostStatus, maintenance: boolean, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number } }>, tasks: { edges: Array<{ node: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }> } };

export type DashboardHostSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardHostSubscription = { hostUpdated: { id: string, status: HostStatus, maintenance: boolean, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number } } };

export type DashboardVmSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type DashboardVmSubscription = { vmsUpdated: { id: string, state: VmState } };

export type ClusterMetricsSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type ClusterMetricsSubscription = { clusterMetrics: { at: string, hostsUp: number | null, hostsTotal: number | null, vcpusAllocated: number, memoryAllocatedBytes: number, diskAllocatedBytes: number, cpuPercent: number | null, memoryUsedBytes: number | null, memoryTotalBytes: number | null, memoryAllocatableBytes: number | null, vcpusTotal: number | null, vmsByState: Array<{ state: VmState, count: number }>, busiestVms: Array<{ vmId: string, at: string, cpuPercent: number | null, memoryUsedBytes: number | null, netRxBytesPerSecond: number | null, netTxBytesPerSecond: number | null, diskReadBytesPerSecond: number | null, diskWriteBytesPerSecond: number | null }> } };

export type HostDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type HostDetailQuery = { node:
    | { createdAt: string, libvirtNetworks: Array<string>, id: string, name: string, uri: string, status: HostStatus, statusMessage: string | null, maintenance: boolean, domainType: DomainType, domainTypeReason: string | null, lastSeenAt: string | null, lastDrain: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } | null, capabilities: { cpus: number, memoryMb: number, cpuModel: string, arch: string, nested: boolean, libvirtVersion: string, hypervisorVersion: string }, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number }, settings: { cpuOvercommit: number, memoryOvercommit: number, concurrency: number, diskPool: string, imagePool: string, vncListen: string, network: { kind: NetworkKind, name: string } | null }, ipPools: Array<{ id: string, name: string, cidr: string, gateway: string | null, rangeStart: string, rangeEnd: string, size: number, used: number, dns: Array<string> }> }
    | Record<PropertyKey, never>
   | null, vms: { edges: Array<{ node: { id: string, name: string, state: VmState, vcpus: number, memoryMb: number, diskGb: number, owner: { id: string, name: string } | null } }>, pageInfo: { hasNextPage: boolean } } };

export type RefreshHostMutationVariables = Exact<{
  id: string | number;
}>;


export type RefreshHostMutation = { refreshHost:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'Host', id: string, name: string, uri: string, status: HostStatus, statusMessage: string | null, maintenance: boolean, domainType: DomainType, domainTypeReason: string | null, lastSeenAt: string | null, capabilities: { cpus: number, memoryMb: number, cpuModel: string, arch: string, nested: boolean, libvirtVersion: string, hypervisorVersion: string }, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number }, settings: { cpuOvercommit: number, memoryOvercommit: number, concurrency: number, diskPool: string, imagePool: string, vncListen: string, network: { kind: NetworkKind, name: string } | null }, ipPools: Array<{ id: string, name: string, cidr: string, gateway: string | null, rangeStart: string, rangeEnd: string, size: number, used: number, dns: Array<string> }> }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type RemoveHostMutationVariables = Exact<{
  id: string | number;
}>;


export type RemoveHostMutation = { removeHost:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'Host', id: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type CreateIpPoolMutationVariables = Exact<{
  input: CreateIpPoolInput;
}>;


export type CreateIpPoolMutation = { createIpPool:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'IpPool', id: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type DeleteIpPoolMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteIpPoolMutation = { deleteIpPool:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'IpPool', id: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type HostMetricsHistoryQueryVariables = Exact<{
  id: string | number;
  from: string;
}>;


export type HostMetricsHistoryQuery = { node:
    | { metrics: { resolutionSeconds: number, times: Array<number>, series: Array<{ name: string, avg: Array<number | null> }> } }
    | Record<PropertyKey, never>
   | null };

export type HostMetricsLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type HostMetricsLiveSubscription = { hostMetrics: { hostId: string, at: string, cpuPercent: number | null, memoryUsedBytes: number | null, memoryTotalBytes: number | null, diskReadBytesPerSecond: number | null, diskWriteBytesPerSecond: number | null, netRxBytesPerSecond: number | null, netTxBytesPerSecond: number | null, vmsRunning: number | null } };

export type HostFieldsFragment = { id: string, name: string, uri: string, status: HostStatus, statusMessage: string | null, maintenance: boolean, domainType: DomainType, domainTypeReason: string | null, lastSeenAt: string | null, capabilities: { cpus: number, memoryMb: number, cpuModel: string, arch: string, nested: boolean, libvirtVersion: string, hypervisorVersion: string }, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number }, settings: { cpuOvercommit: number, memoryOvercommit: number, concurrency: number, diskPool: string, imagePool: string, vncListen: string, network: { kind: NetworkKind, name: string } | null }, ipPools: Array<{ id: string, name: string, cidr: string, gateway: string | null, rangeStart: string, rangeEnd: string, size: number, used: number, dns: Array<string> }> };

export type HostsQueryVariables = Exact<{ [key: string]: never; }>;


export type HostsQuery = { hosts: Array<{ id: string, name: string, uri: string, status: HostStatus, statusMessage: string | null, maintenance: boolean, domainType: DomainType, domainTypeReason: string | null, lastSeenAt: string | null, capabilities: { cpus: number, memoryMb: number, cpuModel: string, arch: string, nested: boolean, libvirtVersion: string, hypervisorVersion: string }, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number }, settings: { cpuOvercommit: number, memoryOvercommit: number, concurrency: number, diskPool: string, imagePool: string, vncListen: string, network: { kind: NetworkKind, name: string } | null }, ipPools: Array<{ id: string, name: string, cidr: string, gateway: string | null, rangeStart: string, rangeEnd: string, size: number, used: number, dns: Array<string> }> }> };

export type HostUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type HostUpdatedSubscription = { hostUpdated: { id: string, name: string, uri: string, status: HostStatus, statusMessage: string | null, maintenance: boolean, domainType: DomainType, domainTypeReason: string | null, lastSeenAt: string | null, capabilities: { cpus: number, memoryMb: number, cpuModel: string, arch: string, nested: boolean, libvirtVersion: string, hypervisorVersion: string }, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number }, settings: { cpuOvercommit: number, memoryOvercommit: number, concurrency: number, diskPool: string, imagePool: string, vncListen: string, network: { kind: NetworkKind, name: string } | null }, ipPools: Array<{ id: string, name: string, cidr: string, gateway: string | null, rangeStart: string, rangeEnd: string, size: number, used: number, dns: Array<string> }> } };

export type AddHostMutationVariables = Exact<{
  input: AddHostInput;
}>;


export type AddHostMutation = { addHost:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'Host', id: string, name: string, uri: string, status: HostStatus, statusMessage: string | null, maintenance: boolean, domainType: DomainType, domainTypeReason: string | null, lastSeenAt: string | null, capabilities: { cpus: number, memoryMb: number, cpuModel: string, arch: string, nested: boolean, libvirtVersion: string, hypervisorVersion: string }, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number }, settings: { cpuOvercommit: number, memoryOvercommit: number, concurrency: number, diskPool: string, imagePool: string, vncListen: string, network: { kind: NetworkKind, name: string } | null }, ipPools: Array<{ id: string, name: string, cidr: string, gateway: string | null, rangeStart: string, rangeEnd: string, size: number, used: number, dns: Array<string> }> }
    | { __typename: 'HostConnectionError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type SetHostMaintenanceMutationVariables = Exact<{
  id: string | number;
  maintenance: boolean;
}>;


export type SetHostMaintenanceMutation = { updateHost:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'Host', id: string, name: string, uri: string, status: HostStatus, statusMessage: string | null, maintenance: boolean, domainType: DomainType, domainTypeReason: string | null, lastSeenAt: string | null, capabilities: { cpus: number, memoryMb: number, cpuModel: string, arch: string, nested: boolean, libvirtVersion: string, hypervisorVersion: string }, allocation: { vcpus: number, memoryMb: number, diskGb: number, vms: number }, capacity: { cpus: number, cpuOvercommit: number, vcpus: number, memoryMb: number, memoryOvercommit: number, allocatableMemoryMb: number }, settings: { cpuOvercommit: number, memoryOvercommit: number, concurrency: number, diskPool: string, imagePool: string, vncListen: string, network: { kind: NetworkKind, name: string } | null }, ipPools: Array<{ id: string, name: string, cidr: string, gateway: string | null, rangeStart: string, rangeEnd: string, size: number, used: number, dns: Array<string> }> }
    | { __typename: 'HostConnectionError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ProfileQueryVariables = Exact<{ [key: string]: never; }>;


export type ProfileQuery = { me: { id: string, name: string, email: string, privileges: Array<Privilege>, createdAt: string, roles: Array<{ id: string, name: string }>, quota: { maxVcpus: number | null, maxMemoryMb: number | null, maxDiskGb: number | null, maxVms: number | null } | null, apiTokens: Array<{ id: string, name: string, privileges: Array<Privilege>, createdAt: string, expiresAt: string | null, revokedAt: string | null }> } | null };

export type UpdateMeMutationVariables = Exact<{
  id: string | number;
  input: UpdateUserInput;
}>;


export type UpdateMeMutation = { updateUser:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string, name: string, email: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ChangePasswordMutationVariables = Exact<{
  input: ChangePasswordInput;
}>;


export type ChangePasswordMutation = { changePassword:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type CreateApiTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;


export type CreateApiTokenMutation = { createApiToken:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'CreatedApiToken', secret: string, token: { id: string, name: string } }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type RevokeApiTokenMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeApiTokenMutation = { revokeApiToken:
    | { __typename: 'ApiToken', id: string }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type RolesQueryVariables = Exact<{ [key: string]: never; }>;


export type RolesQuery = { roles: { edges: Array<{ node: { id: string, name: string, description: string, builtIn: boolean, requiresSecondFactor: boolean, privileges: Array<Privilege> } }> }, privileges: Array<{ privilege: Privilege, description: string }> };

export type CreateRoleMutationVariables = Exact<{
  input: CreateRoleInput;
}>;


export type CreateRoleMutation = { createRole:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'Role', id: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type UpdateRoleMutationVariables = Exact<{
  id: string | number;
  input: UpdateRoleInput;
}>;


export type UpdateRoleMutation = { updateRole:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'Role', id: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type SetRoleRequiresSecondFactorMutationVariables = Exact<{
  id: string | number;
  required: boolean;
}>;


export type SetRoleRequiresSecondFactorMutation = { setRoleRequiresSecondFactor:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'Role', id: string, requiresSecondFactor: boolean }
    | { __typename: 'ValidationError', message: string }
   };

export type DeleteRoleMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteRoleMutation = { deleteRole:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'Role', id: string }
    | { __typename: 'ValidationError', message: string }
   };

export type OidcProvidersQueryVariables = Exact<{ [key: string]: never; }>;


export type OidcProvidersQuery = { oidcProviders: Array<{ id: string, name: string, issuer: string, clientId: string, scopes: string, usernameClaim: string, emailClaim: string, nameClaim: string, groupsClaim: string, createUsers: boolean, enabled: boolean, callbackUrl: string | null, groupRoles: Array<{ group: string, role: { id: string, name: string } }> }>, roles: { edges: Array<{ node: { id: string, name: string } }> } };

export type AddOidcProviderMutationVariables = Exact<{
  input: AddOidcProviderInput;
}>;


export type AddOidcProviderMutation = { addOidcProvider:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'OidcProvider', id: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type UpdateOidcProviderMutationVariables = Exact<{
  id: string | number;
  input: UpdateOidcProviderInput;
}>;


export type UpdateOidcProviderMutation = { updateOidcProvider:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'OidcProvider', id: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type DeleteOidcProviderMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteOidcProviderMutation = { deleteOidcProvider:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'OidcProvider', id: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type TasksQueryVariables = Exact<{
  filter?: TaskFilter | null | undefined;
}>;


export type TasksQuery = { tasks: { edges: Array<{ node: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }> } };

export type UserRowFragment = { id: string, name: string, email: string, disabled: boolean, createdAt: string, secondFactorMethods: Array<SecondFactorMethod>, roles: Array<{ id: string, name: string }>, quota: { maxVcpus: number | null, maxMemoryMb: number | null, maxDiskGb: number | null, maxVms: number | null, maxSnapshotsPerVm: number | null } | null };

export type UsersQueryVariables = Exact<{
  filter?: UserFilter | null | undefined;
}>;


export type UsersQuery = { users: { edges: Array<{ node: { id: string, name: string, email: string, disabled: boolean, createdAt: string, secondFactorMethods: Array<SecondFactorMethod>, roles: Array<{ id: string, name: string }>, quota: { maxVcpus: number | null, maxMemoryMb: number | null, maxDiskGb: number | null, maxVms: number | null, maxSnapshotsPerVm: number | null } | null } }> }, roles: { edges: Array<{ node: { id: string, name: string, builtIn: boolean } }> } };

export type UsersUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type UsersUpdatedSubscription = { usersUpdated: { id: string, name: string, email: string, disabled: boolean, createdAt: string, secondFactorMethods: Array<SecondFactorMethod>, roles: Array<{ id: string, name: string }>, quota: { maxVcpus: number | null, maxMemoryMb: number | null, maxDiskGb: number | null, maxVms: number | null, maxSnapshotsPerVm: number | null } | null } };

export type CreateUserMutationVariables = Exact<{
  input: CreateUserInput;
}>;


export type CreateUserMutation = { createUser:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type SetUserRolesMutationVariables = Exact<{
  id: string | number;
  roleIds: Array<string | number> | string | number;
}>;


export type SetUserRolesMutation = { setUserRoles:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type SetQuotaMutationVariables = Exact<{
  userId: string | number;
  input: QuotaInput;
}>;


export type SetQuotaMutation = { setQuota:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'Quota', maxVms: number | null }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type UpdateUserMutationVariables = Exact<{
  id: string | number;
  input: UpdateUserInput;
}>;


export type UpdateUserMutation = { updateUser:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type SetUserPasswordMutationVariables = Exact<{
  id: string | number;
  input: UpdateUserInput;
}>;


export type SetUserPasswordMutation = { updateUser:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type DisableUserMutationVariables = Exact<{
  id: string | number;
}>;


export type DisableUserMutation = { disableUser:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string }
    | { __typename: 'ValidationError', message: string }
   };

export type ClearSecondFactorsMutationVariables = Exact<{
  id: string | number;
}>;


export type ClearSecondFactorsMutation = { clearSecondFactors:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string }
    | { __typename: 'ValidationError', message: string }
   };

export type EnableUserMutationVariables = Exact<{
  id: string | number;
}>;


export type EnableUserMutation = { enableUser:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'User', id: string }
    | { __typename: 'ValidationError', message: string }
   };

export type CreateVmOptionsQueryVariables = Exact<{
  withHosts: boolean;
}>;


export type CreateVmOptionsQuery = { images: { edges: Array<{ node: { id: string, name: string, osFamily: string | null, osVersion: string | null, minDiskGb: number | null, minMemoryMb: number | null, cloudInit: boolean, defaultUser: string | null, virtualSizeBytes: number | null, visibility: ImageVisibility } }> }, hosts?: Array<{ id: string, name: string, status: HostStatus, maintenance: boolean, capabilities: { cpus: number, memoryMb: number }, allocation: { vcpus: number, memoryMb: number } }>, me: { id: string, quota: { maxVcpus: number | null, maxMemoryMb: number | null, maxDiskGb: number | null, maxVms: number | null } | null, quotaUsage: { vms: number, vcpus: number, memoryMb: number, diskGb: number } } | null };

export type CreateVmMutationVariables = Exact<{
  input: CreateVmInput;
}>;


export type CreateVmMutation = { createVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NoCapacityError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'QuotaExceededError', resource: string, message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, state: VmState }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type VmDetailFieldsFragment = { description: string, isoPath: string | null, id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, network: { kind: NetworkKind, name: string, macAddress: string | null, addressing: VmAddressing, pool: string | null, addresses: Array<string> } | null, guest: { hostname: string, username: string, timezone: string, sshKeys: Array<string>, hasPassword: boolean, fullCopy: boolean, firstBootScript: string | null } | null, image: { id: string, name: string, osFamily: string | null, osVersion: string | null } | null, actions: Array<{ action: VmActionName, allowed: boolean, reason: string | null }>, host: { id: string, name: string } | null, owner: { id: string, name: string } | null };

export type VmDetailQueryVariables = Exact<{
  id: string | number;
}>;


export type VmDetailQuery = { node:
    | { description: string, isoPath: string | null, id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, network: { kind: NetworkKind, name: string, macAddress: string | null, addressing: VmAddressing, pool: string | null, addresses: Array<string> } | null, guest: { hostname: string, username: string, timezone: string, sshKeys: Array<string>, hasPassword: boolean, fullCopy: boolean, firstBootScript: string | null } | null, image: { id: string, name: string, osFamily: string | null, osVersion: string | null } | null, actions: Array<{ action: VmActionName, allowed: boolean, reason: string | null }>, host: { id: string, name: string } | null, owner: { id: string, name: string } | null }
    | Record<PropertyKey, never>
   | null, tasks: { edges: Array<{ node: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }> } };

export type VmUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type VmUpdatedSubscription = { vmUpdated: { description: string, isoPath: string | null, id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, network: { kind: NetworkKind, name: string, macAddress: string | null, addressing: VmAddressing, pool: string | null, addresses: Array<string> } | null, guest: { hostname: string, username: string, timezone: string, sshKeys: Array<string>, hasPassword: boolean, fullCopy: boolean, firstBootScript: string | null } | null, image: { id: string, name: string, osFamily: string | null, osVersion: string | null } | null, actions: Array<{ action: VmActionName, allowed: boolean, reason: string | null }>, host: { id: string, name: string } | null, owner: { id: string, name: string } | null } };

export type VmListQueryVariables = Exact<{
  filter?: VmFilter | null | undefined;
  after?: string | null | undefined;
}>;


export type VmListQuery = { vms: { edges: Array<{ node: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, actions: Array<{ action: VmActionName, allowed: boolean, reason: string | null }>, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null } }>, pageInfo: { hasNextPage: boolean, endCursor: string | null } } };

export type VmListUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type VmListUpdatedSubscription = { vmsUpdated: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, actions: Array<{ action: VmActionName, allowed: boolean, reason: string | null }>, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null } };

export type VmListMetricsQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;


export type VmListMetricsQuery = { nodes: Array<
    | { id: string, latestMetrics: { at: string, cpuPercent: number | null, memoryUsedBytes: number | null } | null }
    | Record<PropertyKey, never>
   | null> };

export type ScheduleFieldsFragment = { id: string, name: string, cron: string, timezone: string, enabled: boolean, chainCap: number, tag: string | null, nextRuns: Array<string>, vms: Array<{ id: string }>, target: { id: string, name: string }, retention: { keepLast: number, keepDaily: number, keepWeekly: number, keepMonthly: number }, lastRun: { startedAt: string, finishedAt: string | null, skipped: string | null, prunedCount: number, vms: Array<{ vmId: string, vmName: string, status: BackupScheduleRunVmStatus, reason: string | null }> } | null };

export type VmBackupSchedulesQueryVariables = Exact<{
  id: string | number;
}>;


export type VmBackupSchedulesQuery = { node:
    | { id: string, tags: Array<string> }
    | Record<PropertyKey, never>
   | null, backupSchedules: Array<{ id: string, name: string, cron: string, timezone: string, enabled: boolean, chainCap: number, tag: string | null, nextRuns: Array<string>, vms: Array<{ id: string }>, target: { id: string, name: string }, retention: { keepLast: number, keepDaily: number, keepWeekly: number, keepMonthly: number }, lastRun: { startedAt: string, finishedAt: string | null, skipped: string | null, prunedCount: number, vms: Array<{ vmId: string, vmName: string, status: BackupScheduleRunVmStatus, reason: string | null }> } | null }>, backupTargets: Array<{ id: string, name: string }> };

export type CreateBackupScheduleMutationVariables = Exact<{
  input: BackupScheduleInput;
}>;


export type CreateBackupScheduleMutation = { createBackupSchedule:
    | { __typename: 'BackupSchedule', id: string, name: string, cron: string, timezone: string, enabled: boolean, chainCap: number, tag: string | null, nextRuns: Array<string>, vms: Array<{ id: string }>, target: { id: string, name: string }, retention: { keepLast: number, keepDaily: number, keepWeekly: number, keepMonthly: number }, lastRun: { startedAt: string, finishedAt: string | null, skipped: string | null, prunedCount: number, vms: Array<{ vmId: string, vmName: string, status: BackupScheduleRunVmStatus, reason: string | null }> } | null }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type UpdateBackupScheduleMutationVariables = Exact<{
  id: string | number;
  input: BackupScheduleInput;
}>;


export type UpdateBackupScheduleMutation = { updateBackupSchedule:
    | { __typename: 'BackupSchedule', id: string, name: string, cron: string, timezone: string, enabled: boolean, chainCap: number, tag: string | null, nextRuns: Array<string>, vms: Array<{ id: string }>, target: { id: string, name: string }, retention: { keepLast: number, keepDaily: number, keepWeekly: number, keepMonthly: number }, lastRun: { startedAt: string, finishedAt: string | null, skipped: string | null, prunedCount: number, vms: Array<{ vmId: string, vmName: string, status: BackupScheduleRunVmStatus, reason: string | null }> } | null }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type DeleteBackupScheduleMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteBackupScheduleMutation = { deleteBackupSchedule:
    | { __typename: 'BackupSchedule' }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type RunBackupScheduleNowMutationVariables = Exact<{
  id: string | number;
}>;


export type RunBackupScheduleNowMutation = { runBackupScheduleNow:
    | { __typename: 'BackupSchedule' }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type BackupRetentionPreviewQueryVariables = Exact<{
  vmId: string | number;
  targetId: string | number;
  retention: BackupRetentionInput;
  timezone?: string | null | undefined;
  scheduleId?: string | number | null | undefined;
}>;


export type BackupRetentionPreviewQuery = { backupRetentionPreview:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'QueryBackupRetentionPreviewSuccess', data: Array<{ keep: boolean, reason: string, backup: { id: string, kind: BackupKind, createdAt: string } }> }
    | { __typename: 'ValidationError', message: string }
   };

export type BackupFieldsFragment = { id: string, kind: BackupKind, status: BackupStatus, reason: string | null, error: string | null, chainLength: number, sizeBytes: number | null, readBytes: number | null, createdAt: string, finishedAt: string | null, vmName: string, parent: { id: string, createdAt: string } | null, target: { id: string, name: string }, disks: Array<{ target: string, virtualSizeBytes: number }> };

export type VmBackupsQueryVariables = Exact<{
  id: string | number;
}>;


export type VmBackupsQuery = { node:
    | { id: string, backups: Array<{ id: string, kind: BackupKind, status: BackupStatus, reason: string | null, error: string | null, chainLength: number, sizeBytes: number | null, readBytes: number | null, createdAt: string, finishedAt: string | null, vmName: string, parent: { id: string, createdAt: string } | null, target: { id: string, name: string }, disks: Array<{ target: string, virtualSizeBytes: number }> }> }
    | Record<PropertyKey, never>
   | null, backupTargets: Array<{ id: string, name: string, shared: boolean }> };

export type BackupVmMutationVariables = Exact<{
  vmId: string | number;
  targetId: string | number;
}>;


export type BackupVmMutation = { backupVm:
    | { __typename: 'BackupTaskPayload', backup: { id: string, kind: BackupKind, status: BackupStatus, reason: string | null, error: string | null, chainLength: number, sizeBytes: number | null, readBytes: number | null, createdAt: string, finishedAt: string | null, vmName: string, parent: { id: string, createdAt: string } | null, target: { id: string, name: string }, disks: Array<{ target: string, virtualSizeBytes: number }> }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type RestoreBackupMutationVariables = Exact<{
  id: string | number;
  input: RestoreBackupInput;
}>;


export type RestoreBackupMutation = { restoreBackup:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NoCapacityError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'QuotaExceededError', resource: string, message: string }
    | { __typename: 'RestoreBackupPayload', vm: { id: string, name: string }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type DeleteBackupMutationVariables = Exact<{
  id: string | number;
  withDependents?: boolean | null | undefined;
}>;


export type DeleteBackupMutation = { deleteBackup:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'DeleteBackupPayload', deletedIds: Array<string> }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type VmDisksQueryVariables = Exact<{
  id: string | number;
}>;


export type VmDisksQuery = { node:
    | { id: string, disks: Array<{ id: string, boot: boolean, bootOrder: number | null, target: string, bus: DiskBus, pool: string, volume: string, sizeGb: number, allocationBytes: number | null, ioLimits: { totalBytesSec: number | null, readBytesSec: number | null, writeBytesSec: number | null, totalIopsSec: number | null, readIopsSec: number | null, writeIopsSec: number | null } }> }
    | Record<PropertyKey, never>
   | null };

export type AttachDiskMutationVariables = Exact<{
  vmId: string | number;
  input: AttachDiskInput;
}>;


export type AttachDiskMutation = { attachDisk:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'QuotaExceededError', resource: string, message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmDiskTaskPayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type DetachDiskMutationVariables = Exact<{
  vmId: string | number;
  diskId: string | number;
  deleteVolume?: boolean | null | undefined;
}>;


export type DetachDiskMutation = { detachDisk:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmDiskTaskPayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type ResizeDiskMutationVariables = Exact<{
  vmId: string | number;
  diskId: string | number;
  sizeGiB: number;
}>;


export type ResizeDiskMutation = { resizeDisk:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'QuotaExceededError', resource: string, message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmDiskTaskPayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type SetDiskIoLimitsMutationVariables = Exact<{
  vmId: string | number;
  diskId: string | number;
  limits: DiskIoLimitsInput;
}>;


export type SetDiskIoLimitsMutation = { setDiskIoLimits:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmDiskTaskPayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type VmSnapshotFieldsFragment = { id: string, name: string, description: string, status: VmSnapshotStatus, isCurrent: boolean, includesMemory: boolean, quiesced: boolean, sizeBytes: number | null, createdAt: string, createdBy: { id: string, name: string } | null, parent: { id: string } | null };

export type VmSnapshotsQueryVariables = Exact<{
  id: string | number;
}>;


export type VmSnapshotsQuery = { node:
    | { id: string, snapshots: Array<{ id: string, name: string, description: string, status: VmSnapshotStatus, isCurrent: boolean, includesMemory: boolean, quiesced: boolean, sizeBytes: number | null, createdAt: string, createdBy: { id: string, name: string } | null, parent: { id: string } | null }> }
    | Record<PropertyKey, never>
   | null };

export type CreateSnapshotMutationVariables = Exact<{
  vmId: string | number;
  input: CreateSnapshotInput;
}>;


export type CreateSnapshotMutation = { createSnapshot:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'QuotaExceededError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmSnapshotTaskPayload', snapshot: { id: string, name: string, description: string, status: VmSnapshotStatus, isCurrent: boolean, includesMemory: boolean, quiesced: boolean, sizeBytes: number | null, createdAt: string, createdBy: { id: string, name: string } | null, parent: { id: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type RevertToSnapshotMutationVariables = Exact<{
  id: string | number;
}>;


export type RevertToSnapshotMutation = { revertToSnapshot:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmSnapshotTaskPayload', snapshot: { id: string, name: string, description: string, status: VmSnapshotStatus, isCurrent: boolean, includesMemory: boolean, quiesced: boolean, sizeBytes: number | null, createdAt: string, createdBy: { id: string, name: string } | null, parent: { id: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type DeleteSnapshotMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteSnapshotMutation = { deleteSnapshot:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmSnapshotTaskPayload', snapshot: { id: string, name: string, description: string, status: VmSnapshotStatus, isCurrent: boolean, includesMemory: boolean, quiesced: boolean, sizeBytes: number | null, createdAt: string, createdBy: { id: string, name: string } | null, parent: { id: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type TaskQueryVariables = Exact<{
  id: string | number;
}>;


export type TaskQuery = { node:
    | { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> }
    | Record<PropertyKey, never>
   | null };

export type TaskLogQueryVariables = Exact<{
  id: string | number;
}>;


export type TaskLogQuery = { node:
    | { id: string, log: Array<{ at: string, line: string, warning: boolean }> }
    | Record<PropertyKey, never>
   | null };

export type CancelTaskMutationVariables = Exact<{
  id: string | number;
}>;


export type CancelTaskMutation = { cancelTask:
    | { __typename: 'CancelTaskPayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type CloneHostsQueryVariables = Exact<{ [key: string]: never; }>;


export type CloneHostsQuery = { hosts: Array<{ id: string, name: string, status: HostStatus, maintenance: boolean }> };

export type CloneVmMutationVariables = Exact<{
  id: string | number;
  input: CloneVmInput;
}>;


export type CloneVmMutation = { cloneVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NoCapacityError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'QuotaExceededError', resource: string, message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmTaskPayload', vm: { id: string }, task: { id: string } }
   };

export type UpdateVmDetailsMutationVariables = Exact<{
  id: string | number;
  input: UpdateVmDetailsInput;
}>;


export type UpdateVmDetailsMutation = { updateVmDetails:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'Vm', description: string, id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }
   };

export type VmHardwareQueryVariables = Exact<{
  id: string | number;
}>;


export type VmHardwareQuery = { node:
    | { id: string, bootOrder: Array<BootDevice>, bootOnce: boolean, isoPath: string | null, cdrom: { id: string, name: string } | null, interfaces: Array<{ id: string, position: number, macAddress: string, kind: NetworkKind, network: string, address: string | null, pool: string | null, guestAddresses: Array<string>, bandwidth: { inbound: { average: number, peak: number | null, burst: number | null } | null, outbound: { average: number, peak: number | null, burst: number | null } | null } | null }>, host: { id: string, libvirtNetworks: Array<string>, ipPools: Array<{ id: string, name: string }> } | null }
    | Record<PropertyKey, never>
   | null, images: { edges: Array<{ node: { id: string, name: string } }> } };

export type AttachVmInterfaceMutationVariables = Exact<{
  vmId: string | number;
  input: AttachVmInterfaceInput;
}>;


export type AttachVmInterfaceMutation = { attachVmInterface:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmInterfacePayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type DetachVmInterfaceMutationVariables = Exact<{
  vmId: string | number;
  interfaceId: string | number;
}>;


export type DetachVmInterfaceMutation = { detachVmInterface:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VmTaskPayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type SetVmInterfaceBandwidthMutationVariables = Exact<{
  vmId: string | number;
  interfaceId: string | number;
  input: InterfaceBandwidthInput;
}>;


export type SetVmInterfaceBandwidthMutation = { setVmInterfaceBandwidth:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmInterfacePayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type SetVmMediaMutationVariables = Exact<{
  vmId: string | number;
  imageId?: string | number | null | undefined;
}>;


export type SetVmMediaMutation = { setVmMedia:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmTaskPayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type SetVmBootMutationVariables = Exact<{
  vmId: string | number;
  order: Array<BootDevice> | BootDevice;
  once?: boolean | null | undefined;
}>;


export type SetVmBootMutation = { setVmBoot:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmTaskPayload', task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type VmMetricsHistoryQueryVariables = Exact<{
  id: string | number;
  from: string;
  to?: string | null | undefined;
}>;


export type VmMetricsHistoryQuery = { node:
    | { metrics: { resolutionSeconds: number, times: Array<number>, series: Array<{ name: string, avg: Array<number | null> }> } }
    | Record<PropertyKey, never>
   | null };

export type VmMetricsLiveSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type VmMetricsLiveSubscription = { vmMetrics: { vmId: string, at: string, cpuPercent: number | null, memoryUsedBytes: number | null, memoryAvailableBytes: number | null, diskReadBytesPerSecond: number | null, diskWriteBytesPerSecond: number | null, netRxBytesPerSecond: number | null, netTxBytesPerSecond: number | null } };

export type TransferRecipientsQueryVariables = Exact<{ [key: string]: never; }>;


export type TransferRecipientsQuery = { users: { edges: Array<{ node: { id: string, name: string, email: string } }> } };

export type TransferVmMutationVariables = Exact<{
  vmId: string | number;
  toUserId: string | number;
}>;


export type TransferVmMutation = { transferVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'QuotaExceededError', resource: string, message: string }
    | { __typename: 'TransferVmPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, newOwner: { id: string, name: string } | null }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type MigrateTargetsQueryVariables = Exact<{ [key: string]: never; }>;


export type MigrateTargetsQuery = { hosts: Array<{ id: string, name: string, status: HostStatus, maintenance: boolean, capacity: { vcpus: number, allocatableMemoryMb: number }, allocation: { vcpus: number, memoryMb: number } }> };

export type MigrateVmMutationVariables = Exact<{
  id: string | number;
  input?: MigrateVmInput | null | undefined;
}>;


export type MigrateVmMutation = { migrateVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'MigrateVmPayload', reason: string, vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
    | { __typename: 'NoCapacityError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type ResetVmPasswordMutationVariables = Exact<{
  id: string | number;
  password: string;
}>;


export type ResetVmPasswordMutation = { resetVmPassword:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type ReinstallVmMutationVariables = Exact<{
  id: string | number;
  imageId?: string | number | null | undefined;
  guest?: GuestInput | null | undefined;
}>;


export type ReinstallVmMutation = { reinstallVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type ReinstallImagesQueryVariables = Exact<{ [key: string]: never; }>;


export type ReinstallImagesQuery = { images: { edges: Array<{ node: { id: string, name: string } }> } };

export type ResizeVmMutationVariables = Exact<{
  id: string | number;
  input: ResizeVmInput;
}>;


export type ResizeVmMutation = { resizeVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NoCapacityError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'QuotaExceededError', resource: string, message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type CreateConsoleTicketMutationVariables = Exact<{
  vmId: string | number;
}>;


export type CreateConsoleTicketMutation = { createConsoleTicket:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'ConsoleTicket', ticket: string, expiresAt: string, path: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
   };

export type VmSummaryFragment = { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null };

export type TaskFieldsFragment = { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> };

export type TaskUpdatedSubscriptionVariables = Exact<{
  id: string | number;
}>;


export type TaskUpdatedSubscription = { taskUpdated: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } };

export type TasksUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type TasksUpdatedSubscription = { tasksUpdated: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } };

export type VmsUpdatedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type VmsUpdatedSubscription = { vmsUpdated: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null } };

export type CaptureImageMutationVariables = Exact<{
  vmId: string | number;
  name: string;
}>;


export type CaptureImageMutation = { captureImage:
    | { __typename: 'CaptureImagePayload', image: { id: string, name: string, status: ImageStatus }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> }, vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null } }
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string, fieldErrors: Array<{ path: Array<string>, message: string }> }
   };

export type StartVmMutationVariables = Exact<{
  id: string | number;
}>;


export type StartVmMutation = { startVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type ShutdownVmMutationVariables = Exact<{
  id: string | number;
}>;


export type ShutdownVmMutation = { shutdownVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type StopVmMutationVariables = Exact<{
  id: string | number;
}>;


export type StopVmMutation = { stopVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type RebootVmMutationVariables = Exact<{
  id: string | number;
}>;


export type RebootVmMutation = { rebootVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type ResetVmMutationVariables = Exact<{
  id: string | number;
}>;


export type ResetVmMutation = { resetVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type SuspendVmMutationVariables = Exact<{
  id: string | number;
}>;


export type SuspendVmMutation = { suspendVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type ResumeVmMutationVariables = Exact<{
  id: string | number;
}>;


export type ResumeVmMutation = { resumeVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export type DeleteVmMutationVariables = Exact<{
  id: string | number;
}>;


export type DeleteVmMutation = { deleteVm:
    | { __typename: 'ConflictError', message: string }
    | { __typename: 'NotFoundError', message: string }
    | { __typename: 'PermissionError', message: string }
    | { __typename: 'ValidationError', message: string }
    | { __typename: 'VmTaskPayload', vm: { id: string, name: string, tags: Array<string>, state: VmState, stateMessage: string | null, vcpus: number, memoryMb: number, diskGb: number, ipAddress: string | null, updatedAt: string, createdAt: string, host: { id: string, name: string } | null, owner: { id: string, name: string } | null, image: { id: string, name: string } | null }, task: { id: string, operation: string, status: TaskStatus, error: string | null, requestId: string | null, createdAt: string, startedAt: string | null, finishedAt: string | null, warnings: Array<string>, cancelRequested: boolean, canCancel: boolean, user: { id: string, name: string } | null, vm: { id: string, name: string } | null, steps: Array<{ name: string, state: TaskStepState, progress: number, message: string | null, position: number, startedAt: string | null, finishedAt: string | null }> } }
   };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ImageRowFragmentDoc = new TypedDocumentString(`
    fragment ImageRow on Image {
  id
  name
  osFamily
  osVersion
  status
  statusMessage
  format
  fileSizeBytes
  virtualSizeBytes
  visibility
  cloudInit
  defaultUser
  minDiskGb
  minMemoryMb
  source
  createdAt
  sha256
  owner {
    id
    name
  }
  sharedWith {
    id
    name
  }
}
    `, {"fragmentName":"ImageRow"}) as unknown as TypedDocumentString<ImageRowFragment, unknown>;
export const AuditEntryFieldsFragmentDoc = new TypedDocumentString(`
    fragment AuditEntryFields on AuditEntry {
  id
  at
  action
  result
  requestId
  target {
    type
    id
    name
    exists
  }
  actorName
  address
  detail
  actor {
    id
    name
  }
}
    `, {"fragmentName":"AuditEntryFields"}) as unknown as TypedDocumentString<AuditEntryFieldsFragment, unknown>;
export const HostFieldsFragmentDoc = new TypedDocumentString(`
    fragment HostFields on Host {
  id
  name
  uri
  status
  statusMessage
  maintenance
  domainType
  domainTypeReason
  lastSeenAt
  capabilities {
    cpus
    memoryMb
    cpuModel
    arch
    nested
    libvirtVersion
    hypervisorVersion
  }
  allocation {
    vcpus
    memoryMb
    diskGb
    vms
  }
  capacity {
    cpus
    cpuOvercommit
    vcpus
    memoryMb
    memoryOvercommit
    allocatableMemoryMb
  }
  settings {
    cpuOvercommit
    memoryOvercommit
    concurrency
    diskPool
    imagePool
    vncListen
    network {
      kind
      name
    }
  }
  ipPools {
    id
    name
    cidr
    gateway
    rangeStart
    rangeEnd
    size
    used
    dns
  }
}
    `, {"fragmentName":"HostFields"}) as unknown as TypedDocumentString<HostFieldsFragment, unknown>;
export const UserRowFragmentDoc = new TypedDocumentString(`
    fragment UserRow on User {
  id
  name
  email
  disabled
  createdAt
  secondFactorMethods
  roles {
    id
    name
  }
  quota {
    maxVcpus
    maxMemoryMb
    maxDiskGb
    maxVms
    maxSnapshotsPerVm
  }
}
    `, {"fragmentName":"UserRow"}) as unknown as TypedDocumentString<UserRowFragment, unknown>;
export const VmSummaryFragmentDoc = new TypedDocumentString(`
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
    `, {"fragmentName":"VmSummary"}) as unknown as TypedDocumentString<VmSummaryFragment, unknown>;
export const VmDetailFieldsFragmentDoc = new TypedDocumentString(`
    fragment VmDetailFields on Vm {
  ...VmSummary
  description
  isoPath
  network {
    kind
    name
    macAddress
    addressing
    pool
    addresses
  }
  guest {
    hostname
    username
    timezone
    sshKeys
    hasPassword
    fullCopy
    firstBootScript
  }
  image {
    id
    name
    osFamily
    osVersion
  }
  actions {
    action
    allowed
    reason
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}`, {"fragmentName":"VmDetailFields"}) as unknown as TypedDocumentString<VmDetailFieldsFragment, unknown>;
export const ScheduleFieldsFragmentDoc = new TypedDocumentString(`
    fragment ScheduleFields on BackupSchedule {
  id
  name
  cron
  timezone
  enabled
  chainCap
  tag
  vms {
    id
  }
  target {
    id
    name
  }
  retention {
    keepLast
    keepDaily
    keepWeekly
    keepMonthly
  }
  nextRuns(count: 3)
  lastRun {
    startedAt
    finishedAt
    skipped
    prunedCount
    vms {
      vmId
      vmName
      status
      reason
    }
  }
}
    `, {"fragmentName":"ScheduleFields"}) as unknown as TypedDocumentString<ScheduleFieldsFragment, unknown>;
export const BackupFieldsFragmentDoc = new TypedDocumentString(`
    fragment BackupFields on Backup {
  id
  kind
  status
  reason
  error
  chainLength
  sizeBytes
  readBytes
  createdAt
  finishedAt
  vmName
  parent {
    id
    createdAt
  }
  target {
    id
    name
  }
  disks {
    target
    virtualSizeBytes
  }
}
    `, {"fragmentName":"BackupFields"}) as unknown as TypedDocumentString<BackupFieldsFragment, unknown>;
export const VmSnapshotFieldsFragmentDoc = new TypedDocumentString(`
    fragment VmSnapshotFields on VmSnapshot {
  id
  name
  description
  status
  isCurrent
  includesMemory
  quiesced
  sizeBytes
  createdAt
  createdBy {
    id
    name
  }
  parent {
    id
  }
}
    `, {"fragmentName":"VmSnapshotFields"}) as unknown as TypedDocumentString<VmSnapshotFieldsFragment, unknown>;
export const TaskFieldsFragmentDoc = new TypedDocumentString(`
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}
    `, {"fragmentName":"TaskFields"}) as unknown as TypedDocumentString<TaskFieldsFragment, unknown>;
export const BootstrapDocument = new TypedDocumentString(`
    query Bootstrap {
  me {
    id
    email
    name
    privileges
    roles {
      name
    }
  }
  setupRequired
  secondFactorEnrolmentRequired
}
    `) as unknown as TypedDocumentString<BootstrapQuery, BootstrapQueryVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout {
  logout
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const MeUpdatedDocument = new TypedDocumentString(`
    subscription MeUpdated($id: ID!) {
  userUpdated(id: $id) {
    id
    name
    email
    privileges
  }
}
    `) as unknown as TypedDocumentString<MeUpdatedSubscription, MeUpdatedSubscriptionVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($input: LoginInput!) {
  login(input: $input) {
    __typename
    ... on LoginSuccess {
      user {
        id
        email
        name
      }
    }
    ... on SecondFactorRequired {
      token
      methods
      passkeyOptions
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const VerifySecondFactorDocument = new TypedDocumentString(`
    mutation VerifySecondFactor($input: VerifySecondFactorInput!) {
  verifySecondFactor(input: $input) {
    __typename
    ... on LoginSuccess {
      user {
        id
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VerifySecondFactorMutation, VerifySecondFactorMutationVariables>;
export const SignInProvidersDocument = new TypedDocumentString(`
    query SignInProviders {
  signInProviders {
    id
    name
    startUrl
  }
}
    `) as unknown as TypedDocumentString<SignInProvidersQuery, SignInProvidersQueryVariables>;
export const MySecondFactorDocument = new TypedDocumentString(`
    query MySecondFactor {
  mySecondFactor {
    totpEnabled
    recoveryCodesLeft
    required
    enrolmentRequired
    passkeys {
      id
      name
      createdAt
      lastUsedAt
    }
  }
}
    `) as unknown as TypedDocumentString<MySecondFactorQuery, MySecondFactorQueryVariables>;
export const StartTotpEnrolmentDocument = new TypedDocumentString(`
    mutation StartTotpEnrolment {
  startTotpEnrolment {
    __typename
    ... on TotpEnrolment {
      secret
      uri
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<StartTotpEnrolmentMutation, StartTotpEnrolmentMutationVariables>;
export const ConfirmTotpEnrolmentDocument = new TypedDocumentString(`
    mutation ConfirmTotpEnrolment($code: String!) {
  confirmTotpEnrolment(code: $code) {
    __typename
    ... on SecondFactorEnrolled {
      recoveryCodes
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ConfirmTotpEnrolmentMutation, ConfirmTotpEnrolmentMutationVariables>;
export const RemoveTotpDocument = new TypedDocumentString(`
    mutation RemoveTotp {
  removeTotp {
    __typename
    ... on SecondFactorSettings {
      totpEnabled
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveTotpMutation, RemoveTotpMutationVariables>;
export const StartPasskeyRegistrationDocument = new TypedDocumentString(`
    mutation StartPasskeyRegistration {
  startPasskeyRegistration {
    __typename
    ... on PasskeyRegistration {
      options
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<StartPasskeyRegistrationMutation, StartPasskeyRegistrationMutationVariables>;
export const FinishPasskeyRegistrationDocument = new TypedDocumentString(`
    mutation FinishPasskeyRegistration($response: String!, $name: String) {
  finishPasskeyRegistration(response: $response, name: $name) {
    __typename
    ... on SecondFactorEnrolled {
      recoveryCodes
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<FinishPasskeyRegistrationMutation, FinishPasskeyRegistrationMutationVariables>;
export const RemovePasskeyDocument = new TypedDocumentString(`
    mutation RemovePasskey($id: ID!) {
  removePasskey(id: $id) {
    __typename
    ... on SecondFactorSettings {
      totpEnabled
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RemovePasskeyMutation, RemovePasskeyMutationVariables>;
export const RegenerateRecoveryCodesDocument = new TypedDocumentString(`
    mutation RegenerateRecoveryCodes {
  regenerateRecoveryCodes {
    __typename
    ... on SecondFactorEnrolled {
      recoveryCodes
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RegenerateRecoveryCodesMutation, RegenerateRecoveryCodesMutationVariables>;
export const SetupAdministratorDocument = new TypedDocumentString(`
    mutation SetupAdministrator($input: SetupAdministratorInput!) {
  setupAdministrator(input: $input) {
    __typename
    ... on User {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SetupAdministratorMutation, SetupAdministratorMutationVariables>;
export const FirstRunDocument = new TypedDocumentString(`
    query FirstRun {
  hosts {
    id
  }
  images(first: 1, filter: {status: READY}) {
    edges {
      node {
        id
      }
    }
  }
  vms(first: 1) {
    edges {
      node {
        id
      }
    }
  }
}
    `) as unknown as TypedDocumentString<FirstRunQuery, FirstRunQueryVariables>;
export const FirstRunImagesDocument = new TypedDocumentString(`
    subscription FirstRunImages {
  imagesUpdated {
    id
  }
}
    `) as unknown as TypedDocumentString<FirstRunImagesSubscription, FirstRunImagesSubscriptionVariables>;
export const FirstRunVmsDocument = new TypedDocumentString(`
    subscription FirstRunVms {
  vmsUpdated {
    id
  }
}
    `) as unknown as TypedDocumentString<FirstRunVmsSubscription, FirstRunVmsSubscriptionVariables>;
export const UpdateHostSettingsDocument = new TypedDocumentString(`
    mutation UpdateHostSettings($id: ID!, $input: UpdateHostInput!) {
  updateHost(id: $id, input: $input) {
    __typename
    ... on Host {
      ...HostFields
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment HostFields on Host {
  id
  name
  uri
  status
  statusMessage
  maintenance
  domainType
  domainTypeReason
  lastSeenAt
  capabilities {
    cpus
    memoryMb
    cpuModel
    arch
    nested
    libvirtVersion
    hypervisorVersion
  }
  allocation {
    vcpus
    memoryMb
    diskGb
    vms
  }
  capacity {
    cpus
    cpuOvercommit
    vcpus
    memoryMb
    memoryOvercommit
    allocatableMemoryMb
  }
  settings {
    cpuOvercommit
    memoryOvercommit
    concurrency
    diskPool
    imagePool
    vncListen
    network {
      kind
      name
    }
  }
  ipPools {
    id
    name
    cidr
    gateway
    rangeStart
    rangeEnd
    size
    used
    dns
  }
}`) as unknown as TypedDocumentString<UpdateHostSettingsMutation, UpdateHostSettingsMutationVariables>;
export const DrainHostDocument = new TypedDocumentString(`
    mutation DrainHost($id: ID!, $input: SetHostMaintenanceInput!) {
  setHostMaintenance(id: $id, input: $input) {
    __typename
    ... on SetHostMaintenancePayload {
      host {
        ...HostFields
      }
      task {
        id
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment HostFields on Host {
  id
  name
  uri
  status
  statusMessage
  maintenance
  domainType
  domainTypeReason
  lastSeenAt
  capabilities {
    cpus
    memoryMb
    cpuModel
    arch
    nested
    libvirtVersion
    hypervisorVersion
  }
  allocation {
    vcpus
    memoryMb
    diskGb
    vms
  }
  capacity {
    cpus
    cpuOvercommit
    vcpus
    memoryMb
    memoryOvercommit
    allocatableMemoryMb
  }
  settings {
    cpuOvercommit
    memoryOvercommit
    concurrency
    diskPool
    imagePool
    vncListen
    network {
      kind
      name
    }
  }
  ipPools {
    id
    name
    cidr
    gateway
    rangeStart
    rangeEnd
    size
    used
    dns
  }
}`) as unknown as TypedDocumentString<DrainHostMutation, DrainHostMutationVariables>;
export const ImagesDocument = new TypedDocumentString(`
    query Images($filter: ImageFilter) {
  images(filter: $filter, first: 40) {
    edges {
      node {
        id
        name
        osFamily
        osVersion
        status
        statusMessage
        format
        fileSizeBytes
        virtualSizeBytes
        visibility
        cloudInit
        defaultUser
        minDiskGb
        minMemoryMb
        source
        createdAt
        sha256
        owner {
          id
          name
        }
        sharedWith {
          id
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ImagesQuery, ImagesQueryVariables>;
export const ImagesUpdatedDocument = new TypedDocumentString(`
    subscription ImagesUpdated {
  imagesUpdated {
    id
    image {
      ...ImageRow
    }
  }
}
    fragment ImageRow on Image {
  id
  name
  osFamily
  osVersion
  status
  statusMessage
  format
  fileSizeBytes
  virtualSizeBytes
  visibility
  cloudInit
  defaultUser
  minDiskGb
  minMemoryMb
  source
  createdAt
  sha256
  owner {
    id
    name
  }
  sharedWith {
    id
    name
  }
}`) as unknown as TypedDocumentString<ImagesUpdatedSubscription, ImagesUpdatedSubscriptionVariables>;
export const UploadImageDocument = new TypedDocumentString(`
    mutation UploadImage($input: ImageInput!, $file: Upload!) {
  uploadImage(input: $input, file: $file) {
    __typename
    ... on Image {
      id
      name
      status
    }
    ... on ImageRejectedError {
      reason
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UploadImageMutation, UploadImageMutationVariables>;
export const ImportImageDocument = new TypedDocumentString(`
    mutation ImportImage($input: ImageInput!, $url: String!) {
  importImage(input: $input, url: $url) {
    __typename
    ... on ImportImagePayload {
      image {
        id
        name
        status
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<ImportImageMutation, ImportImageMutationVariables>;
export const ShareImageDocument = new TypedDocumentString(`
    mutation ShareImage($id: ID!, $visibility: ImageVisibility!, $userIds: [ID!]) {
  shareImage(id: $id, visibility: $visibility, userIds: $userIds) {
    __typename
    ... on Image {
      id
      visibility
      sharedWith {
        id
        name
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ShareImageMutation, ShareImageMutationVariables>;
export const DeleteImageDocument = new TypedDocumentString(`
    mutation DeleteImage($id: ID!) {
  deleteImage(id: $id) {
    __typename
    ... on Image {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteImageMutation, DeleteImageMutationVariables>;
export const ShareCandidatesDocument = new TypedDocumentString(`
    query ShareCandidates {
  users(first: 100) {
    edges {
      node {
        id
        name
        email
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ShareCandidatesQuery, ShareCandidatesQueryVariables>;
export const CaptureVmsDocument = new TypedDocumentString(`
    query CaptureVms {
  vms(first: 100) {
    edges {
      node {
        id
        name
        state
        image {
          id
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CaptureVmsQuery, CaptureVmsQueryVariables>;
export const RepositoryImagesDocument = new TypedDocumentString(`
    query RepositoryImages {
  repositoryImages {
    id
    product
    version
    name
    osFamily
    osVersion
    arch
    defaultUser
    minDiskGb
    minMemoryMb
    sizeBytes
    checksumAlgorithm
    installed
    updateAvailable
    versionSeenAt
    repository {
      id
      name
    }
    image {
      id
      status
    }
    installFailure {
      reason
      message
    }
    installTask {
      ...TaskFields
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<RepositoryImagesQuery, RepositoryImagesQueryVariables>;
export const ImageRepositoriesDocument = new TypedDocumentString(`
    query ImageRepositories {
  imageRepositories {
    id
    name
    url
    builtin
    signed
    enabled
    refreshedAt
    refreshFailure {
      reason
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ImageRepositoriesQuery, ImageRepositoriesQueryVariables>;
export const InstallRepositoryImageDocument = new TypedDocumentString(`
    mutation InstallRepositoryImage($id: ID!) {
  installRepositoryImage(id: $id) {
    __typename
    ... on InstallRepositoryImagePayload {
      image {
        id
        name
        status
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<InstallRepositoryImageMutation, InstallRepositoryImageMutationVariables>;
export const AddImageRepositoryDocument = new TypedDocumentString(`
    mutation AddImageRepository($name: String!, $url: String!, $signingKey: String) {
  addImageRepository(name: $name, url: $url, signingKey: $signingKey) {
    __typename
    ... on RefreshImageRepositoryPayload {
      added
      updated
      repository {
        id
        name
      }
    }
    ... on RepositoryIndexError {
      reason
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AddImageRepositoryMutation, AddImageRepositoryMutationVariables>;
export const RefreshImageRepositoryDocument = new TypedDocumentString(`
    mutation RefreshImageRepository($id: ID!) {
  refreshImageRepository(id: $id) {
    __typename
    ... on RefreshImageRepositoryPayload {
      added
      updated
    }
    ... on RepositoryIndexError {
      reason
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RefreshImageRepositoryMutation, RefreshImageRepositoryMutationVariables>;
export const SetImageRepositoryEnabledDocument = new TypedDocumentString(`
    mutation SetImageRepositoryEnabled($id: ID!, $enabled: Boolean!) {
  setImageRepositoryEnabled(id: $id, enabled: $enabled) {
    __typename
    ... on ImageRepository {
      id
      enabled
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<SetImageRepositoryEnabledMutation, SetImageRepositoryEnabledMutationVariables>;
export const RepositoryImagesChangedDocument = new TypedDocumentString(`
    subscription RepositoryImagesChanged {
  imagesUpdated {
    id
  }
}
    `) as unknown as TypedDocumentString<RepositoryImagesChangedSubscription, RepositoryImagesChangedSubscriptionVariables>;
export const AuditLogDocument = new TypedDocumentString(`
    query AuditLog($filter: AuditFilter, $after: String) {
  auditLog(filter: $filter, first: 25, after: $after) {
    edges {
      node {
        ...AuditEntryFields
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment AuditEntryFields on AuditEntry {
  id
  at
  action
  result
  requestId
  target {
    type
    id
    name
    exists
  }
  actorName
  address
  detail
  actor {
    id
    name
  }
}`) as unknown as TypedDocumentString<AuditLogQuery, AuditLogQueryVariables>;
export const AuditActionsDocument = new TypedDocumentString(`
    query AuditActions {
  auditActions
}
    `) as unknown as TypedDocumentString<AuditActionsQuery, AuditActionsQueryVariables>;
export const AuditAddedDocument = new TypedDocumentString(`
    subscription AuditAdded {
  auditEntryAdded {
    ...AuditEntryFields
  }
}
    fragment AuditEntryFields on AuditEntry {
  id
  at
  action
  result
  requestId
  target {
    type
    id
    name
    exists
  }
  actorName
  address
  detail
  actor {
    id
    name
  }
}`) as unknown as TypedDocumentString<AuditAddedSubscription, AuditAddedSubscriptionVariables>;
export const BackupTargetsDocument = new TypedDocumentString(`
    query BackupTargets {
  backupTargets {
    id
    name
    shared
    pool
    path
    createdAt
    host {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<BackupTargetsQuery, BackupTargetsQueryVariables>;
export const BackupTargetHostsDocument = new TypedDocumentString(`
    query BackupTargetHosts {
  hosts {
    id
    name
  }
}
    `) as unknown as TypedDocumentString<BackupTargetHostsQuery, BackupTargetHostsQueryVariables>;
export const CreateBackupTargetDocument = new TypedDocumentString(`
    mutation CreateBackupTarget($input: CreateBackupTargetInput!) {
  createBackupTarget(input: $input) {
    __typename
    ... on BackupTarget {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreateBackupTargetMutation, CreateBackupTargetMutationVariables>;
export const DeleteBackupTargetDocument = new TypedDocumentString(`
    mutation DeleteBackupTarget($id: ID!) {
  deleteBackupTarget(id: $id) {
    __typename
    ... on BackupTarget {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteBackupTargetMutation, DeleteBackupTargetMutationVariables>;
export const ClusterMetricsHistoryDocument = new TypedDocumentString(`
    query ClusterMetricsHistory($from: DateTime!) {
  clusterMetricsHistory(from: $from) {
    resolutionSeconds
    times
    series {
      name
      avg
    }
  }
}
    `) as unknown as TypedDocumentString<ClusterMetricsHistoryQuery, ClusterMetricsHistoryQueryVariables>;
export const ClusterMetricsLiveDocument = new TypedDocumentString(`
    subscription ClusterMetricsLive {
  clusterMetrics {
    at
    cpuPercent
    memoryUsedBytes
    memoryTotalBytes
  }
}
    `) as unknown as TypedDocumentString<ClusterMetricsLiveSubscription, ClusterMetricsLiveSubscriptionVariables>;
export const DashboardDocument = new TypedDocumentString(`
    query Dashboard($withHosts: Boolean!) {
  vms(first: 100) {
    edges {
      node {
        id
        name
        state
        vcpus
        memoryMb
        diskGb
      }
    }
    pageInfo {
      hasNextPage
    }
  }
  hosts @include(if: $withHosts) {
    id
    name
    status
    maintenance
    allocation {
      vcpus
      memoryMb
      diskGb
      vms
    }
    capacity {
      cpus
      cpuOvercommit
      vcpus
      memoryMb
      memoryOvercommit
      allocatableMemoryMb
    }
  }
  tasks(first: 5) {
    edges {
      node {
        ...TaskFields
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<DashboardQuery, DashboardQueryVariables>;
export const DashboardHostDocument = new TypedDocumentString(`
    subscription DashboardHost {
  hostUpdated {
    id
    status
    maintenance
    allocation {
      vcpus
      memoryMb
      diskGb
      vms
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardHostSubscription, DashboardHostSubscriptionVariables>;
export const DashboardVmDocument = new TypedDocumentString(`
    subscription DashboardVm {
  vmsUpdated {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<DashboardVmSubscription, DashboardVmSubscriptionVariables>;
export const ClusterMetricsDocument = new TypedDocumentString(`
    subscription ClusterMetrics {
  clusterMetrics {
    at
    hostsUp
    hostsTotal
    vmsByState {
      state
      count
    }
    vcpusAllocated
    memoryAllocatedBytes
    diskAllocatedBytes
    cpuPercent
    memoryUsedBytes
    memoryTotalBytes
    memoryAllocatableBytes
    vcpusTotal
    busiestVms {
      vmId
      at
      cpuPercent
      memoryUsedBytes
      netRxBytesPerSecond
      netTxBytesPerSecond
      diskReadBytesPerSecond
      diskWriteBytesPerSecond
    }
  }
}
    `) as unknown as TypedDocumentString<ClusterMetricsSubscription, ClusterMetricsSubscriptionVariables>;
export const HostDetailDocument = new TypedDocumentString(`
    query HostDetail($id: ID!) {
  node(id: $id) {
    ... on Host {
      ...HostFields
      createdAt
      libvirtNetworks
      lastDrain {
        ...TaskFields
      }
    }
  }
  vms(filter: {hostId: $id}, first: 25) {
    edges {
      node {
        id
        name
        state
        vcpus
        memoryMb
        diskGb
        owner {
          id
          name
        }
      }
    }
    pageInfo {
      hasNextPage
    }
  }
}
    fragment HostFields on Host {
  id
  name
  uri
  status
  statusMessage
  maintenance
  domainType
  domainTypeReason
  lastSeenAt
  capabilities {
    cpus
    memoryMb
    cpuModel
    arch
    nested
    libvirtVersion
    hypervisorVersion
  }
  allocation {
    vcpus
    memoryMb
    diskGb
    vms
  }
  capacity {
    cpus
    cpuOvercommit
    vcpus
    memoryMb
    memoryOvercommit
    allocatableMemoryMb
  }
  settings {
    cpuOvercommit
    memoryOvercommit
    concurrency
    diskPool
    imagePool
    vncListen
    network {
      kind
      name
    }
  }
  ipPools {
    id
    name
    cidr
    gateway
    rangeStart
    rangeEnd
    size
    used
    dns
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<HostDetailQuery, HostDetailQueryVariables>;
export const RefreshHostDocument = new TypedDocumentString(`
    mutation RefreshHost($id: ID!) {
  refreshHost(id: $id) {
    __typename
    ... on Host {
      ...HostFields
    }
    ... on Error {
      message
    }
  }
}
    fragment HostFields on Host {
  id
  name
  uri
  status
  statusMessage
  maintenance
  domainType
  domainTypeReason
  lastSeenAt
  capabilities {
    cpus
    memoryMb
    cpuModel
    arch
    nested
    libvirtVersion
    hypervisorVersion
  }
  allocation {
    vcpus
    memoryMb
    diskGb
    vms
  }
  capacity {
    cpus
    cpuOvercommit
    vcpus
    memoryMb
    memoryOvercommit
    allocatableMemoryMb
  }
  settings {
    cpuOvercommit
    memoryOvercommit
    concurrency
    diskPool
    imagePool
    vncListen
    network {
      kind
      name
    }
  }
  ipPools {
    id
    name
    cidr
    gateway
    rangeStart
    rangeEnd
    size
    used
    dns
  }
}`) as unknown as TypedDocumentString<RefreshHostMutation, RefreshHostMutationVariables>;
export const RemoveHostDocument = new TypedDocumentString(`
    mutation RemoveHost($id: ID!) {
  removeHost(id: $id) {
    __typename
    ... on Host {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveHostMutation, RemoveHostMutationVariables>;
export const CreateIpPoolDocument = new TypedDocumentString(`
    mutation CreateIpPool($input: CreateIpPoolInput!) {
  createIpPool(input: $input) {
    __typename
    ... on IpPool {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreateIpPoolMutation, CreateIpPoolMutationVariables>;
export const DeleteIpPoolDocument = new TypedDocumentString(`
    mutation DeleteIpPool($id: ID!) {
  deleteIpPool(id: $id) {
    __typename
    ... on IpPool {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteIpPoolMutation, DeleteIpPoolMutationVariables>;
export const HostMetricsHistoryDocument = new TypedDocumentString(`
    query HostMetricsHistory($id: ID!, $from: DateTime!) {
  node(id: $id) {
    ... on Host {
      metrics(from: $from) {
        resolutionSeconds
        times
        series {
          name
          avg
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<HostMetricsHistoryQuery, HostMetricsHistoryQueryVariables>;
export const HostMetricsLiveDocument = new TypedDocumentString(`
    subscription HostMetricsLive($id: ID!) {
  hostMetrics(id: $id) {
    hostId
    at
    cpuPercent
    memoryUsedBytes
    memoryTotalBytes
    diskReadBytesPerSecond
    diskWriteBytesPerSecond
    netRxBytesPerSecond
    netTxBytesPerSecond
    vmsRunning
  }
}
    `) as unknown as TypedDocumentString<HostMetricsLiveSubscription, HostMetricsLiveSubscriptionVariables>;
export const HostsDocument = new TypedDocumentString(`
    query Hosts {
  hosts {
    ...HostFields
  }
}
    fragment HostFields on Host {
  id
  name
  uri
  status
  statusMessage
  maintenance
  domainType
  domainTypeReason
  lastSeenAt
  capabilities {
    cpus
    memoryMb
    cpuModel
    arch
    nested
    libvirtVersion
    hypervisorVersion
  }
  allocation {
    vcpus
    memoryMb
    diskGb
    vms
  }
  capacity {
    cpus
    cpuOvercommit
    vcpus
    memoryMb
    memoryOvercommit
    allocatableMemoryMb
  }
  settings {
    cpuOvercommit
    memoryOvercommit
    concurrency
    diskPool
    imagePool
    vncListen
    network {
      kind
      name
    }
  }
  ipPools {
    id
    name
    cidr
    gateway
    rangeStart
    rangeEnd
    size
    used
    dns
  }
}`) as unknown as TypedDocumentString<HostsQuery, HostsQueryVariables>;
export const HostUpdatedDocument = new TypedDocumentString(`
    subscription HostUpdated {
  hostUpdated {
    ...HostFields
  }
}
    fragment HostFields on Host {
  id
  name
  uri
  status
  statusMessage
  maintenance
  domainType
  domainTypeReason
  lastSeenAt
  capabilities {
    cpus
    memoryMb
    cpuModel
    arch
    nested
    libvirtVersion
    hypervisorVersion
  }
  allocation {
    vcpus
    memoryMb
    diskGb
    vms
  }
  capacity {
    cpus
    cpuOvercommit
    vcpus
    memoryMb
    memoryOvercommit
    allocatableMemoryMb
  }
  settings {
    cpuOvercommit
    memoryOvercommit
    concurrency
    diskPool
    imagePool
    vncListen
    network {
      kind
      name
    }
  }
  ipPools {
    id
    name
    cidr
    gateway
    rangeStart
    rangeEnd
    size
    used
    dns
  }
}`) as unknown as TypedDocumentString<HostUpdatedSubscription, HostUpdatedSubscriptionVariables>;
export const AddHostDocument = new TypedDocumentString(`
    mutation AddHost($input: AddHostInput!) {
  addHost(input: $input) {
    __typename
    ... on Host {
      ...HostFields
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment HostFields on Host {
  id
  name
  uri
  status
  statusMessage
  maintenance
  domainType
  domainTypeReason
  lastSeenAt
  capabilities {
    cpus
    memoryMb
    cpuModel
    arch
    nested
    libvirtVersion
    hypervisorVersion
  }
  allocation {
    vcpus
    memoryMb
    diskGb
    vms
  }
  capacity {
    cpus
    cpuOvercommit
    vcpus
    memoryMb
    memoryOvercommit
    allocatableMemoryMb
  }
  settings {
    cpuOvercommit
    memoryOvercommit
    concurrency
    diskPool
    imagePool
    vncListen
    network {
      kind
      name
    }
  }
  ipPools {
    id
    name
    cidr
    gateway
    rangeStart
    rangeEnd
    size
    used
    dns
  }
}`) as unknown as TypedDocumentString<AddHostMutation, AddHostMutationVariables>;
export const SetHostMaintenanceDocument = new TypedDocumentString(`
    mutation SetHostMaintenance($id: ID!, $maintenance: Boolean!) {
  updateHost(id: $id, input: {maintenance: $maintenance}) {
    __typename
    ... on Host {
      ...HostFields
    }
    ... on Error {
      message
    }
  }
}
    fragment HostFields on Host {
  id
  name
  uri
  status
  statusMessage
  maintenance
  domainType
  domainTypeReason
  lastSeenAt
  capabilities {
    cpus
    memoryMb
    cpuModel
    arch
    nested
    libvirtVersion
    hypervisorVersion
  }
  allocation {
    vcpus
    memoryMb
    diskGb
    vms
  }
  capacity {
    cpus
    cpuOvercommit
    vcpus
    memoryMb
    memoryOvercommit
    allocatableMemoryMb
  }
  settings {
    cpuOvercommit
    memoryOvercommit
    concurrency
    diskPool
    imagePool
    vncListen
    network {
      kind
      name
    }
  }
  ipPools {
    id
    name
    cidr
    gateway
    rangeStart
    rangeEnd
    size
    used
    dns
  }
}`) as unknown as TypedDocumentString<SetHostMaintenanceMutation, SetHostMaintenanceMutationVariables>;
export const ProfileDocument = new TypedDocumentString(`
    query Profile {
  me {
    id
    name
    email
    privileges
    createdAt
    roles {
      id
      name
    }
    quota {
      maxVcpus
      maxMemoryMb
      maxDiskGb
      maxVms
    }
    apiTokens {
      id
      name
      privileges
      createdAt
      expiresAt
      revokedAt
    }
  }
}
    `) as unknown as TypedDocumentString<ProfileQuery, ProfileQueryVariables>;
export const UpdateMeDocument = new TypedDocumentString(`
    mutation UpdateMe($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) {
    __typename
    ... on User {
      id
      name
      email
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateMeMutation, UpdateMeMutationVariables>;
export const ChangePasswordDocument = new TypedDocumentString(`
    mutation ChangePassword($input: ChangePasswordInput!) {
  changePassword(input: $input) {
    __typename
    ... on User {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ChangePasswordMutation, ChangePasswordMutationVariables>;
export const CreateApiTokenDocument = new TypedDocumentString(`
    mutation CreateApiToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    __typename
    ... on CreatedApiToken {
      secret
      token {
        id
        name
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreateApiTokenMutation, CreateApiTokenMutationVariables>;
export const RevokeApiTokenDocument = new TypedDocumentString(`
    mutation RevokeApiToken($id: ID!) {
  revokeApiToken(id: $id) {
    __typename
    ... on ApiToken {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RevokeApiTokenMutation, RevokeApiTokenMutationVariables>;
export const RolesDocument = new TypedDocumentString(`
    query Roles {
  roles(first: 100) {
    edges {
      node {
        id
        name
        description
        builtIn
        requiresSecondFactor
        privileges
      }
    }
  }
  privileges {
    privilege
    description
  }
}
    `) as unknown as TypedDocumentString<RolesQuery, RolesQueryVariables>;
export const CreateRoleDocument = new TypedDocumentString(`
    mutation CreateRole($input: CreateRoleInput!) {
  createRole(input: $input) {
    __typename
    ... on Role {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreateRoleMutation, CreateRoleMutationVariables>;
export const UpdateRoleDocument = new TypedDocumentString(`
    mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {
  updateRole(id: $id, input: $input) {
    __typename
    ... on Role {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateRoleMutation, UpdateRoleMutationVariables>;
export const SetRoleRequiresSecondFactorDocument = new TypedDocumentString(`
    mutation SetRoleRequiresSecondFactor($id: ID!, $required: Boolean!) {
  setRoleRequiresSecondFactor(id: $id, required: $required) {
    __typename
    ... on Role {
      id
      requiresSecondFactor
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<SetRoleRequiresSecondFactorMutation, SetRoleRequiresSecondFactorMutationVariables>;
export const DeleteRoleDocument = new TypedDocumentString(`
    mutation DeleteRole($id: ID!) {
  deleteRole(id: $id) {
    __typename
    ... on Role {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteRoleMutation, DeleteRoleMutationVariables>;
export const OidcProvidersDocument = new TypedDocumentString(`
    query OidcProviders {
  oidcProviders {
    id
    name
    issuer
    clientId
    scopes
    usernameClaim
    emailClaim
    nameClaim
    groupsClaim
    createUsers
    enabled
    callbackUrl
    groupRoles {
      group
      role {
        id
        name
      }
    }
  }
  roles(first: 200) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<OidcProvidersQuery, OidcProvidersQueryVariables>;
export const AddOidcProviderDocument = new TypedDocumentString(`
    mutation AddOidcProvider($input: AddOidcProviderInput!) {
  addOidcProvider(input: $input) {
    __typename
    ... on OidcProvider {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<AddOidcProviderMutation, AddOidcProviderMutationVariables>;
export const UpdateOidcProviderDocument = new TypedDocumentString(`
    mutation UpdateOidcProvider($id: ID!, $input: UpdateOidcProviderInput!) {
  updateOidcProvider(id: $id, input: $input) {
    __typename
    ... on OidcProvider {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateOidcProviderMutation, UpdateOidcProviderMutationVariables>;
export const DeleteOidcProviderDocument = new TypedDocumentString(`
    mutation DeleteOidcProvider($id: ID!) {
  deleteOidcProvider(id: $id) {
    __typename
    ... on OidcProvider {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteOidcProviderMutation, DeleteOidcProviderMutationVariables>;
export const TasksDocument = new TypedDocumentString(`
    query Tasks($filter: TaskFilter) {
  tasks(filter: $filter, first: 15) {
    edges {
      node {
        ...TaskFields
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<TasksQuery, TasksQueryVariables>;
export const UsersDocument = new TypedDocumentString(`
    query Users($filter: UserFilter) {
  users(filter: $filter, first: 36) {
    edges {
      node {
        id
        name
        email
        disabled
        createdAt
        secondFactorMethods
        roles {
          id
          name
        }
        quota {
          maxVcpus
          maxMemoryMb
          maxDiskGb
          maxVms
          maxSnapshotsPerVm
        }
      }
    }
  }
  roles(first: 100) {
    edges {
      node {
        id
        name
        builtIn
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UsersQuery, UsersQueryVariables>;
export const UsersUpdatedDocument = new TypedDocumentString(`
    subscription UsersUpdated {
  usersUpdated {
    ...UserRow
  }
}
    fragment UserRow on User {
  id
  name
  email
  disabled
  createdAt
  secondFactorMethods
  roles {
    id
    name
  }
  quota {
    maxVcpus
    maxMemoryMb
    maxDiskGb
    maxVms
    maxSnapshotsPerVm
  }
}`) as unknown as TypedDocumentString<UsersUpdatedSubscription, UsersUpdatedSubscriptionVariables>;
export const CreateUserDocument = new TypedDocumentString(`
    mutation CreateUser($input: CreateUserInput!) {
  createUser(input: $input) {
    __typename
    ... on User {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreateUserMutation, CreateUserMutationVariables>;
export const SetUserRolesDocument = new TypedDocumentString(`
    mutation SetUserRoles($id: ID!, $roleIds: [ID!]!) {
  setUserRoles(id: $id, roleIds: $roleIds) {
    __typename
    ... on User {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SetUserRolesMutation, SetUserRolesMutationVariables>;
export const SetQuotaDocument = new TypedDocumentString(`
    mutation SetQuota($userId: ID!, $input: QuotaInput!) {
  setQuota(userId: $userId, input: $input) {
    __typename
    ... on Quota {
      maxVms
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SetQuotaMutation, SetQuotaMutationVariables>;
export const UpdateUserDocument = new TypedDocumentString(`
    mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) {
    __typename
    ... on User {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateUserMutation, UpdateUserMutationVariables>;
export const SetUserPasswordDocument = new TypedDocumentString(`
    mutation SetUserPassword($id: ID!, $input: UpdateUserInput!) {
  updateUser(id: $id, input: $input) {
    __typename
    ... on User {
      id
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SetUserPasswordMutation, SetUserPasswordMutationVariables>;
export const DisableUserDocument = new TypedDocumentString(`
    mutation DisableUser($id: ID!) {
  disableUser(id: $id) {
    __typename
    ... on User {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<DisableUserMutation, DisableUserMutationVariables>;
export const ClearSecondFactorsDocument = new TypedDocumentString(`
    mutation ClearSecondFactors($id: ID!) {
  clearSecondFactors(id: $id) {
    __typename
    ... on User {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<ClearSecondFactorsMutation, ClearSecondFactorsMutationVariables>;
export const EnableUserDocument = new TypedDocumentString(`
    mutation EnableUser($id: ID!) {
  enableUser(id: $id) {
    __typename
    ... on User {
      id
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<EnableUserMutation, EnableUserMutationVariables>;
export const CreateVmOptionsDocument = new TypedDocumentString(`
    query CreateVmOptions($withHosts: Boolean!) {
  images(filter: {status: READY}, first: 50) {
    edges {
      node {
        id
        name
        osFamily
        osVersion
        minDiskGb
        minMemoryMb
        cloudInit
        defaultUser
        virtualSizeBytes
        visibility
      }
    }
  }
  hosts @include(if: $withHosts) {
    id
    name
    status
    maintenance
    capabilities {
      cpus
      memoryMb
    }
    allocation {
      vcpus
      memoryMb
    }
  }
  me {
    id
    quota {
      maxVcpus
      maxMemoryMb
      maxDiskGb
      maxVms
    }
    quotaUsage {
      vms
      vcpus
      memoryMb
      diskGb
    }
  }
}
    `) as unknown as TypedDocumentString<CreateVmOptionsQuery, CreateVmOptionsQueryVariables>;
export const CreateVmDocument = new TypedDocumentString(`
    mutation CreateVm($input: CreateVmInput!) {
  createVm(input: $input) {
    __typename
    ... on VmTaskPayload {
      vm {
        id
        name
        state
      }
      task {
        ...TaskFields
      }
    }
    ... on QuotaExceededError {
      resource
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<CreateVmMutation, CreateVmMutationVariables>;
export const VmDetailDocument = new TypedDocumentString(`
    query VmDetail($id: ID!) {
  node(id: $id) {
    ... on Vm {
      ...VmDetailFields
    }
  }
  tasks(filter: {vmId: $id}, first: 10) {
    edges {
      node {
        ...TaskFields
      }
    }
  }
}
    fragment VmDetailFields on Vm {
  ...VmSummary
  description
  isoPath
  network {
    kind
    name
    macAddress
    addressing
    pool
    addresses
  }
  guest {
    hostname
    username
    timezone
    sshKeys
    hasPassword
    fullCopy
    firstBootScript
  }
  image {
    id
    name
    osFamily
    osVersion
  }
  actions {
    action
    allowed
    reason
  }
}
fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<VmDetailQuery, VmDetailQueryVariables>;
export const VmUpdatedDocument = new TypedDocumentString(`
    subscription VmUpdated($id: ID!) {
  vmUpdated(id: $id) {
    ...VmDetailFields
  }
}
    fragment VmDetailFields on Vm {
  ...VmSummary
  description
  isoPath
  network {
    kind
    name
    macAddress
    addressing
    pool
    addresses
  }
  guest {
    hostname
    username
    timezone
    sshKeys
    hasPassword
    fullCopy
    firstBootScript
  }
  image {
    id
    name
    osFamily
    osVersion
  }
  actions {
    action
    allowed
    reason
  }
}
fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}`) as unknown as TypedDocumentString<VmUpdatedSubscription, VmUpdatedSubscriptionVariables>;
export const VmListDocument = new TypedDocumentString(`
    query VmList($filter: VmFilter, $after: String) {
  vms(filter: $filter, first: 20, after: $after) {
    edges {
      node {
        ...VmSummary
        actions {
          action
          allowed
          reason
        }
      }
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}`) as unknown as TypedDocumentString<VmListQuery, VmListQueryVariables>;
export const VmListUpdatedDocument = new TypedDocumentString(`
    subscription VmListUpdated {
  vmsUpdated {
    ...VmSummary
    actions {
      action
      allowed
      reason
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}`) as unknown as TypedDocumentString<VmListUpdatedSubscription, VmListUpdatedSubscriptionVariables>;
export const VmListMetricsDocument = new TypedDocumentString(`
    query VmListMetrics($ids: [ID!]!) {
  nodes(ids: $ids) {
    ... on Vm {
      id
      latestMetrics {
        at
        cpuPercent
        memoryUsedBytes
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VmListMetricsQuery, VmListMetricsQueryVariables>;
export const VmBackupSchedulesDocument = new TypedDocumentString(`
    query VmBackupSchedules($id: ID!) {
  node(id: $id) {
    ... on Vm {
      id
      tags
    }
  }
  backupSchedules {
    ...ScheduleFields
  }
  backupTargets {
    id
    name
  }
}
    fragment ScheduleFields on BackupSchedule {
  id
  name
  cron
  timezone
  enabled
  chainCap
  tag
  vms {
    id
  }
  target {
    id
    name
  }
  retention {
    keepLast
    keepDaily
    keepWeekly
    keepMonthly
  }
  nextRuns(count: 3)
  lastRun {
    startedAt
    finishedAt
    skipped
    prunedCount
    vms {
      vmId
      vmName
      status
      reason
    }
  }
}`) as unknown as TypedDocumentString<VmBackupSchedulesQuery, VmBackupSchedulesQueryVariables>;
export const CreateBackupScheduleDocument = new TypedDocumentString(`
    mutation CreateBackupSchedule($input: BackupScheduleInput!) {
  createBackupSchedule(input: $input) {
    __typename
    ... on BackupSchedule {
      ...ScheduleFields
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment ScheduleFields on BackupSchedule {
  id
  name
  cron
  timezone
  enabled
  chainCap
  tag
  vms {
    id
  }
  target {
    id
    name
  }
  retention {
    keepLast
    keepDaily
    keepWeekly
    keepMonthly
  }
  nextRuns(count: 3)
  lastRun {
    startedAt
    finishedAt
    skipped
    prunedCount
    vms {
      vmId
      vmName
      status
      reason
    }
  }
}`) as unknown as TypedDocumentString<CreateBackupScheduleMutation, CreateBackupScheduleMutationVariables>;
export const UpdateBackupScheduleDocument = new TypedDocumentString(`
    mutation UpdateBackupSchedule($id: ID!, $input: BackupScheduleInput!) {
  updateBackupSchedule(id: $id, input: $input) {
    __typename
    ... on BackupSchedule {
      ...ScheduleFields
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment ScheduleFields on BackupSchedule {
  id
  name
  cron
  timezone
  enabled
  chainCap
  tag
  vms {
    id
  }
  target {
    id
    name
  }
  retention {
    keepLast
    keepDaily
    keepWeekly
    keepMonthly
  }
  nextRuns(count: 3)
  lastRun {
    startedAt
    finishedAt
    skipped
    prunedCount
    vms {
      vmId
      vmName
      status
      reason
    }
  }
}`) as unknown as TypedDocumentString<UpdateBackupScheduleMutation, UpdateBackupScheduleMutationVariables>;
export const DeleteBackupScheduleDocument = new TypedDocumentString(`
    mutation DeleteBackupSchedule($id: ID!) {
  deleteBackupSchedule(id: $id) {
    __typename
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteBackupScheduleMutation, DeleteBackupScheduleMutationVariables>;
export const RunBackupScheduleNowDocument = new TypedDocumentString(`
    mutation RunBackupScheduleNow($id: ID!) {
  runBackupScheduleNow(id: $id) {
    __typename
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<RunBackupScheduleNowMutation, RunBackupScheduleNowMutationVariables>;
export const BackupRetentionPreviewDocument = new TypedDocumentString(`
    query BackupRetentionPreview($vmId: ID!, $targetId: ID!, $retention: BackupRetentionInput!, $timezone: String, $scheduleId: ID) {
  backupRetentionPreview(
    vmId: $vmId
    targetId: $targetId
    retention: $retention
    timezone: $timezone
    scheduleId: $scheduleId
  ) {
    __typename
    ... on QueryBackupRetentionPreviewSuccess {
      data {
        keep
        reason
        backup {
          id
          kind
          createdAt
        }
      }
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<BackupRetentionPreviewQuery, BackupRetentionPreviewQueryVariables>;
export const VmBackupsDocument = new TypedDocumentString(`
    query VmBackups($id: ID!) {
  node(id: $id) {
    ... on Vm {
      id
      backups {
        ...BackupFields
      }
    }
  }
  backupTargets {
    id
    name
    shared
  }
}
    fragment BackupFields on Backup {
  id
  kind
  status
  reason
  error
  chainLength
  sizeBytes
  readBytes
  createdAt
  finishedAt
  vmName
  parent {
    id
    createdAt
  }
  target {
    id
    name
  }
  disks {
    target
    virtualSizeBytes
  }
}`) as unknown as TypedDocumentString<VmBackupsQuery, VmBackupsQueryVariables>;
export const BackupVmDocument = new TypedDocumentString(`
    mutation BackupVm($vmId: ID!, $targetId: ID!) {
  backupVm(vmId: $vmId, targetId: $targetId) {
    __typename
    ... on BackupTaskPayload {
      backup {
        ...BackupFields
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment BackupFields on Backup {
  id
  kind
  status
  reason
  error
  chainLength
  sizeBytes
  readBytes
  createdAt
  finishedAt
  vmName
  parent {
    id
    createdAt
  }
  target {
    id
    name
  }
  disks {
    target
    virtualSizeBytes
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<BackupVmMutation, BackupVmMutationVariables>;
export const RestoreBackupDocument = new TypedDocumentString(`
    mutation RestoreBackup($id: ID!, $input: RestoreBackupInput!) {
  restoreBackup(id: $id, input: $input) {
    __typename
    ... on RestoreBackupPayload {
      vm {
        id
        name
      }
      task {
        ...TaskFields
      }
    }
    ... on QuotaExceededError {
      resource
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<RestoreBackupMutation, RestoreBackupMutationVariables>;
export const DeleteBackupDocument = new TypedDocumentString(`
    mutation DeleteBackup($id: ID!, $withDependents: Boolean) {
  deleteBackup(id: $id, withDependents: $withDependents) {
    __typename
    ... on DeleteBackupPayload {
      deletedIds
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteBackupMutation, DeleteBackupMutationVariables>;
export const VmDisksDocument = new TypedDocumentString(`
    query VmDisks($id: ID!) {
  node(id: $id) {
    ... on Vm {
      id
      disks {
        id
        boot
        bootOrder
        target
        bus
        pool
        volume
        sizeGb
        allocationBytes
        ioLimits {
          totalBytesSec
          readBytesSec
          writeBytesSec
          totalIopsSec
          readIopsSec
          writeIopsSec
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VmDisksQuery, VmDisksQueryVariables>;
export const AttachDiskDocument = new TypedDocumentString(`
    mutation AttachDisk($vmId: ID!, $input: AttachDiskInput!) {
  attachDisk(vmId: $vmId, input: $input) {
    __typename
    ... on VmDiskTaskPayload {
      task {
        ...TaskFields
      }
    }
    ... on QuotaExceededError {
      resource
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<AttachDiskMutation, AttachDiskMutationVariables>;
export const DetachDiskDocument = new TypedDocumentString(`
    mutation DetachDisk($vmId: ID!, $diskId: ID!, $deleteVolume: Boolean) {
  detachDisk(vmId: $vmId, diskId: $diskId, deleteVolume: $deleteVolume) {
    __typename
    ... on VmDiskTaskPayload {
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<DetachDiskMutation, DetachDiskMutationVariables>;
export const ResizeDiskDocument = new TypedDocumentString(`
    mutation ResizeDisk($vmId: ID!, $diskId: ID!, $sizeGiB: Int!) {
  resizeDisk(vmId: $vmId, diskId: $diskId, sizeGiB: $sizeGiB) {
    __typename
    ... on VmDiskTaskPayload {
      task {
        ...TaskFields
      }
    }
    ... on QuotaExceededError {
      resource
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<ResizeDiskMutation, ResizeDiskMutationVariables>;
export const SetDiskIoLimitsDocument = new TypedDocumentString(`
    mutation SetDiskIoLimits($vmId: ID!, $diskId: ID!, $limits: DiskIoLimitsInput!) {
  setDiskIoLimits(vmId: $vmId, diskId: $diskId, limits: $limits) {
    __typename
    ... on VmDiskTaskPayload {
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<SetDiskIoLimitsMutation, SetDiskIoLimitsMutationVariables>;
export const VmSnapshotsDocument = new TypedDocumentString(`
    query VmSnapshots($id: ID!) {
  node(id: $id) {
    ... on Vm {
      id
      snapshots {
        ...VmSnapshotFields
      }
    }
  }
}
    fragment VmSnapshotFields on VmSnapshot {
  id
  name
  description
  status
  isCurrent
  includesMemory
  quiesced
  sizeBytes
  createdAt
  createdBy {
    id
    name
  }
  parent {
    id
  }
}`) as unknown as TypedDocumentString<VmSnapshotsQuery, VmSnapshotsQueryVariables>;
export const CreateSnapshotDocument = new TypedDocumentString(`
    mutation CreateSnapshot($vmId: ID!, $input: CreateSnapshotInput!) {
  createSnapshot(vmId: $vmId, input: $input) {
    __typename
    ... on VmSnapshotTaskPayload {
      snapshot {
        ...VmSnapshotFields
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSnapshotFields on VmSnapshot {
  id
  name
  description
  status
  isCurrent
  includesMemory
  quiesced
  sizeBytes
  createdAt
  createdBy {
    id
    name
  }
  parent {
    id
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<CreateSnapshotMutation, CreateSnapshotMutationVariables>;
export const RevertToSnapshotDocument = new TypedDocumentString(`
    mutation RevertToSnapshot($id: ID!) {
  revertToSnapshot(id: $id) {
    __typename
    ... on VmSnapshotTaskPayload {
      snapshot {
        ...VmSnapshotFields
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSnapshotFields on VmSnapshot {
  id
  name
  description
  status
  isCurrent
  includesMemory
  quiesced
  sizeBytes
  createdAt
  createdBy {
    id
    name
  }
  parent {
    id
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<RevertToSnapshotMutation, RevertToSnapshotMutationVariables>;
export const DeleteSnapshotDocument = new TypedDocumentString(`
    mutation DeleteSnapshot($id: ID!) {
  deleteSnapshot(id: $id) {
    __typename
    ... on VmSnapshotTaskPayload {
      snapshot {
        ...VmSnapshotFields
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSnapshotFields on VmSnapshot {
  id
  name
  description
  status
  isCurrent
  includesMemory
  quiesced
  sizeBytes
  createdAt
  createdBy {
    id
    name
  }
  parent {
    id
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<DeleteSnapshotMutation, DeleteSnapshotMutationVariables>;
export const TaskDocument = new TypedDocumentString(`
    query Task($id: ID!) {
  node(id: $id) {
    ... on Task {
      ...TaskFields
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<TaskQuery, TaskQueryVariables>;
export const TaskLogDocument = new TypedDocumentString(`
    query TaskLog($id: ID!) {
  node(id: $id) {
    ... on Task {
      id
      log {
        at
        line
        warning
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TaskLogQuery, TaskLogQueryVariables>;
export const CancelTaskDocument = new TypedDocumentString(`
    mutation CancelTask($id: ID!) {
  cancelTask(id: $id) {
    __typename
    ... on CancelTaskPayload {
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<CancelTaskMutation, CancelTaskMutationVariables>;
export const CloneHostsDocument = new TypedDocumentString(`
    query CloneHosts {
  hosts {
    id
    name
    status
    maintenance
  }
}
    `) as unknown as TypedDocumentString<CloneHostsQuery, CloneHostsQueryVariables>;
export const CloneVmDocument = new TypedDocumentString(`
    mutation CloneVm($id: ID!, $input: CloneVmInput!) {
  cloneVm(id: $id, input: $input) {
    __typename
    ... on VmTaskPayload {
      vm {
        id
      }
      task {
        id
      }
    }
    ... on QuotaExceededError {
      resource
    }
    ... on NoCapacityError {
      message
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CloneVmMutation, CloneVmMutationVariables>;
export const UpdateVmDetailsDocument = new TypedDocumentString(`
    mutation UpdateVmDetails($id: ID!, $input: UpdateVmDetailsInput!) {
  updateVmDetails(id: $id, input: $input) {
    __typename
    ... on Vm {
      ...VmSummary
      description
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}`) as unknown as TypedDocumentString<UpdateVmDetailsMutation, UpdateVmDetailsMutationVariables>;
export const VmHardwareDocument = new TypedDocumentString(`
    query VmHardware($id: ID!) {
  node(id: $id) {
    ... on Vm {
      id
      bootOrder
      bootOnce
      isoPath
      cdrom {
        id
        name
      }
      interfaces {
        id
        position
        macAddress
        kind
        network
        address
        pool
        guestAddresses
        bandwidth {
          inbound {
            average
            peak
            burst
          }
          outbound {
            average
            peak
            burst
          }
        }
      }
      host {
        id
        ipPools {
          id
          name
        }
        libvirtNetworks
      }
    }
  }
  images(filter: {kind: ISO, status: READY}, first: 200) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VmHardwareQuery, VmHardwareQueryVariables>;
export const AttachVmInterfaceDocument = new TypedDocumentString(`
    mutation AttachVmInterface($vmId: ID!, $input: AttachVmInterfaceInput!) {
  attachVmInterface(vmId: $vmId, input: $input) {
    __typename
    ... on VmInterfacePayload {
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<AttachVmInterfaceMutation, AttachVmInterfaceMutationVariables>;
export const DetachVmInterfaceDocument = new TypedDocumentString(`
    mutation DetachVmInterface($vmId: ID!, $interfaceId: ID!) {
  detachVmInterface(vmId: $vmId, interfaceId: $interfaceId) {
    __typename
    ... on VmTaskPayload {
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<DetachVmInterfaceMutation, DetachVmInterfaceMutationVariables>;
export const SetVmInterfaceBandwidthDocument = new TypedDocumentString(`
    mutation SetVmInterfaceBandwidth($vmId: ID!, $interfaceId: ID!, $input: InterfaceBandwidthInput!) {
  setVmInterfaceBandwidth(vmId: $vmId, interfaceId: $interfaceId, input: $input) {
    __typename
    ... on VmInterfacePayload {
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<SetVmInterfaceBandwidthMutation, SetVmInterfaceBandwidthMutationVariables>;
export const SetVmMediaDocument = new TypedDocumentString(`
    mutation SetVmMedia($vmId: ID!, $imageId: ID) {
  setVmMedia(vmId: $vmId, imageId: $imageId) {
    __typename
    ... on VmTaskPayload {
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<SetVmMediaMutation, SetVmMediaMutationVariables>;
export const SetVmBootDocument = new TypedDocumentString(`
    mutation SetVmBoot($vmId: ID!, $order: [BootDevice!]!, $once: Boolean) {
  setVmBoot(vmId: $vmId, order: $order, once: $once) {
    __typename
    ... on VmTaskPayload {
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<SetVmBootMutation, SetVmBootMutationVariables>;
export const VmMetricsHistoryDocument = new TypedDocumentString(`
    query VmMetricsHistory($id: ID!, $from: DateTime!, $to: DateTime) {
  node(id: $id) {
    ... on Vm {
      metrics(from: $from, to: $to) {
        resolutionSeconds
        times
        series {
          name
          avg
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VmMetricsHistoryQuery, VmMetricsHistoryQueryVariables>;
export const VmMetricsLiveDocument = new TypedDocumentString(`
    subscription VmMetricsLive($id: ID!) {
  vmMetrics(id: $id) {
    vmId
    at
    cpuPercent
    memoryUsedBytes
    memoryAvailableBytes
    diskReadBytesPerSecond
    diskWriteBytesPerSecond
    netRxBytesPerSecond
    netTxBytesPerSecond
  }
}
    `) as unknown as TypedDocumentString<VmMetricsLiveSubscription, VmMetricsLiveSubscriptionVariables>;
export const TransferRecipientsDocument = new TypedDocumentString(`
    query TransferRecipients {
  users(first: 200, filter: {disabled: false}) {
    edges {
      node {
        id
        name
        email
      }
    }
  }
}
    `) as unknown as TypedDocumentString<TransferRecipientsQuery, TransferRecipientsQueryVariables>;
export const TransferVmDocument = new TypedDocumentString(`
    mutation TransferVm($vmId: ID!, $toUserId: ID!) {
  transferVm(vmId: $vmId, toUserId: $toUserId) {
    __typename
    ... on TransferVmPayload {
      vm {
        ...VmSummary
      }
      newOwner {
        id
        name
      }
    }
    ... on QuotaExceededError {
      resource
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}`) as unknown as TypedDocumentString<TransferVmMutation, TransferVmMutationVariables>;
export const MigrateTargetsDocument = new TypedDocumentString(`
    query MigrateTargets {
  hosts {
    id
    name
    status
    maintenance
    capacity {
      vcpus
      allocatableMemoryMb
    }
    allocation {
      vcpus
      memoryMb
    }
  }
}
    `) as unknown as TypedDocumentString<MigrateTargetsQuery, MigrateTargetsQueryVariables>;
export const MigrateVmDocument = new TypedDocumentString(`
    mutation MigrateVm($id: ID!, $input: MigrateVmInput) {
  migrateVm(id: $id, input: $input) {
    __typename
    ... on MigrateVmPayload {
      reason
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<MigrateVmMutation, MigrateVmMutationVariables>;
export const ResetVmPasswordDocument = new TypedDocumentString(`
    mutation ResetVmPassword($id: ID!, $password: String!) {
  resetVmPassword(id: $id, password: $password) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<ResetVmPasswordMutation, ResetVmPasswordMutationVariables>;
export const ReinstallVmDocument = new TypedDocumentString(`
    mutation ReinstallVm($id: ID!, $imageId: ID, $guest: GuestInput) {
  reinstallVm(id: $id, imageId: $imageId, guest: $guest) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<ReinstallVmMutation, ReinstallVmMutationVariables>;
export const ReinstallImagesDocument = new TypedDocumentString(`
    query ReinstallImages {
  images(filter: {status: READY}, first: 100) {
    edges {
      node {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ReinstallImagesQuery, ReinstallImagesQueryVariables>;
export const ResizeVmDocument = new TypedDocumentString(`
    mutation ResizeVm($id: ID!, $input: ResizeVmInput!) {
  resizeVm(id: $id, input: $input) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on QuotaExceededError {
      resource
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<ResizeVmMutation, ResizeVmMutationVariables>;
export const CreateConsoleTicketDocument = new TypedDocumentString(`
    mutation CreateConsoleTicket($vmId: ID!) {
  createConsoleTicket(vmId: $vmId) {
    __typename
    ... on ConsoleTicket {
      ticket
      expiresAt
      path
    }
    ... on Error {
      message
    }
  }
}
    `) as unknown as TypedDocumentString<CreateConsoleTicketMutation, CreateConsoleTicketMutationVariables>;
export const TaskUpdatedDocument = new TypedDocumentString(`
    subscription TaskUpdated($id: ID!) {
  taskUpdated(id: $id) {
    ...TaskFields
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<TaskUpdatedSubscription, TaskUpdatedSubscriptionVariables>;
export const TasksUpdatedDocument = new TypedDocumentString(`
    subscription TasksUpdated {
  tasksUpdated {
    ...TaskFields
  }
}
    fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<TasksUpdatedSubscription, TasksUpdatedSubscriptionVariables>;
export const VmsUpdatedDocument = new TypedDocumentString(`
    subscription VmsUpdated {
  vmsUpdated {
    ...VmSummary
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}`) as unknown as TypedDocumentString<VmsUpdatedSubscription, VmsUpdatedSubscriptionVariables>;
export const CaptureImageDocument = new TypedDocumentString(`
    mutation CaptureImage($vmId: ID!, $name: String!) {
  captureImage(vmId: $vmId, name: $name) {
    __typename
    ... on CaptureImagePayload {
      image {
        id
        name
        status
      }
      task {
        ...TaskFields
      }
      vm {
        ...VmSummary
      }
    }
    ... on Error {
      message
    }
    ... on ValidationError {
      fieldErrors {
        path
        message
      }
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<CaptureImageMutation, CaptureImageMutationVariables>;
export const StartVmDocument = new TypedDocumentString(`
    mutation StartVm($id: ID!) {
  startVm(id: $id) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<StartVmMutation, StartVmMutationVariables>;
export const ShutdownVmDocument = new TypedDocumentString(`
    mutation ShutdownVm($id: ID!) {
  shutdownVm(id: $id) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<ShutdownVmMutation, ShutdownVmMutationVariables>;
export const StopVmDocument = new TypedDocumentString(`
    mutation StopVm($id: ID!) {
  stopVm(id: $id) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<StopVmMutation, StopVmMutationVariables>;
export const RebootVmDocument = new TypedDocumentString(`
    mutation RebootVm($id: ID!) {
  rebootVm(id: $id) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<RebootVmMutation, RebootVmMutationVariables>;
export const ResetVmDocument = new TypedDocumentString(`
    mutation ResetVm($id: ID!) {
  resetVm(id: $id) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<ResetVmMutation, ResetVmMutationVariables>;
export const SuspendVmDocument = new TypedDocumentString(`
    mutation SuspendVm($id: ID!) {
  suspendVm(id: $id) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<SuspendVmMutation, SuspendVmMutationVariables>;
export const ResumeVmDocument = new TypedDocumentString(`
    mutation ResumeVm($id: ID!) {
  resumeVm(id: $id) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<ResumeVmMutation, ResumeVmMutationVariables>;
export const DeleteVmDocument = new TypedDocumentString(`
    mutation DeleteVm($id: ID!) {
  deleteVm(id: $id) {
    __typename
    ... on VmTaskPayload {
      vm {
        ...VmSummary
      }
      task {
        ...TaskFields
      }
    }
    ... on Error {
      message
    }
  }
}
    fragment VmSummary on Vm {
  id
  name
  tags
  state
  stateMessage
  vcpus
  memoryMb
  diskGb
  ipAddress
  updatedAt
  createdAt
  host {
    id
    name
  }
  owner {
    id
    name
  }
  image {
    id
    name
  }
}
fragment TaskFields on Task {
  id
  operation
  status
  error
  requestId
  createdAt
  startedAt
  finishedAt
  user {
    id
    name
  }
  vm {
    id
    name
  }
  steps {
    name
    state
    progress
    message
    position
    startedAt
    finishedAt
  }
  warnings
  cancelRequested
  canCancel
}`) as unknown as TypedDocumentString<DeleteVmMutation, DeleteVmMutationVariables>;