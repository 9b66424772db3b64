import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { schema } from '../../server/graphql/schema.ts';
import { ADMIN, BACKENDS, login, roleId, setupAdmin, subscribe, useTestHangar, userWithRole, wsClient, type TestHangar } from '../support/hangar.ts';

type Role = 'anonymous' | 'User' | 'Operator' | 'Auditor' | 'Administrator';
const ROLES: Role[] = ['anonymous', 'User', 'Operator', 'Auditor', 'Administrator'];
const SIGNED_IN: Role[] = ['User', 'Operator', 'Auditor', 'Administrator'];
const EVERYONE: Role[] = ROLES;

interface Fixtures {
  targetUserId: string;
  customRoleId: string;
  userRoleId: string;
  adminTokenId: string;
  /** An administrator's VM and task (no host needed): others see them only with VM.ViewAll or Host.View. */
  adminVmId: string;
  adminTaskId: string;
  /** A host row (never connected to). */
  hostId: string;
}

// Ids of objects that do not exist: the caller gets NotFoundError when allowed, FORBIDDEN when not.
const ghost = (type: string) => Buffer.from(`${type}:00000000-0000-4000-8000-000000000000`).toString('base64');
const VM_ACTION = (name: string): Operation => ({
  allowed: ['User', 'Operator', 'Administrator'],
  query: `mutation($id: ID!) { ${name}(id: $id) { __typename } }`,
  variables: () => ({ id: ghost('Vm') }),
});

interface Operation {
  allowed: Role[];
  query: string;
  variables?: (f: Fixtures) => Record<string, unknown>;
}

// Every root field of the schema, with who may call it. A new field without a line here fails the test.
const QUERIES: Record<string, Operation> = {
  me: { allowed: EVERYONE, query: '{ me { id } }' },
  setupRequired: { allowed: EVERYONE, query: '{ setupRequired }' },
  // Roles are readable by every signed-in user; node() applies the type's own rule.
  node: { allowed: SIGNED_IN, query: 'query($id: ID!) { node(id: $id) { id } }', variables: (f) => ({ id: f.customRoleId }) },
  nodes: { allowed: SIGNED_IN, query: 'query($id: ID!) { nodes(ids: [$id]) { id } }', variables: (f) => ({ id: f.customRoleId }) },
  users: { allowed: ['Auditor', 'Administrator'], query: '{ users { edges { node { id } } } }' },
  roles: { allowed: SIGNED_IN, query: '{ roles { edges { node { id } } } }' },
  privileges: { allowed: SIGNED_IN, query: '{ privileges { privilege } }' },
  auditLog: { allowed: ['Auditor', 'Administrator'], query: '{ auditLog(first: 1) { edges { node { id } } } }' },
  auditActions: { allowed: ['Auditor', 'Administrator'], query: '{ auditActions }' },
  clusterMetricsHistory: { allowed: ['Operator', 'Auditor', 'Administrator'], query: '{ clusterMetricsHistory(from: "2026-01-01T00:00:00Z", to: "2026-01-02T00:00:00Z") { times } }' },
  hosts: { allowed: ['Operator', 'Auditor', 'Administrator'], query: '{ hosts { id } }' },
  vms: { allowed: SIGNED_IN, query: '{ vms { edges { node { id } } } }' },
  tasks: { allowed: SIGNED_IN, query: '{ tasks { edges { node { id } } } }' },
  images: { allowed: SIGNED_IN, query: '{ images { edges { node { id } } } }' },
  // Repositories: everyone sees what they offer; image managers see and change the repositories.
  repositoryImages: { allowed: SIGNED_IN, query: '{ repositoryImages { id installed } }' },
  imageRepositories: { allowed: ['Operator', 'Administrator'], query: '{ imageRepositories { id name } }' },
  secondFactorEnrolmentRequired: { allowed: EVERYONE, query: '{ secondFactorEnrolmentRequired }' },
  mySecondFactor: { allowed: SIGNED_IN, query: '{ mySecondFactor { totpEnabled } }' },
  // Single sign-on: the sign-in page lists enabled providers for anyone; their settings take User.Manage and Role.Manage.
  backupTargets: { allowed: ['User', 'Operator', 'Administrator'], query: '{ backupTargets { id } }' },
  backups: { allowed: SIGNED_IN, query: '{ backups { id } }' },
  backupSchedules: { allowed: SIGNED_IN, query: '{ backupSchedules { id } }' },
  backupRetentionPreview: {
    allowed: ['User', 'Operator', 'Administrator'],
    query: 'query($id: ID!, $t: ID!) { backupRetentionPreview(vmId: $id, targetId: $t, retention: { keepLast: 1 }) { __typename } }',
    variables: () => ({ id: ghost('Vm'), t: ghost('BackupTarget') }),
  },
  signInProviders: { allowed: EVERYONE, query: '{ signInProviders { id name startUrl } }' },
  oidcProviders: { allowed: ['Administrator'], query: '{ oidcProviders { id name clientId } }' },
};

const MUTATIONS: Record<string, Operation> = {
  login: { allowed: EVERYONE, query: 'mutation { login(input: { email: "nobody@example.com", password: "x" }) { __typename } }' },
  setupAdministrator: {
    allowed: EVERYONE,
    query: 'mutation { setupAdministrator(input: { email: "late@example.com", name: "Late", password: "long enough password" }) { __typename } }',
  },
  changePassword: { allowed: SIGNED_IN, query: 'mutation { changePassword(input: { currentPassword: "wrong one", newPassword: "long enough password" }) { __typename } }' },
  // Second factors: a pending sign-in that does not exist; enrolment of one's own (nothing gets turned on); administrators' acts on ghosts.
  verifySecondFactor: { allowed: EVERYONE, query: 'mutation { verifySecondFactor(input: { token: "hgp_none", totpCode: "123456" }) { __typename } }' },
  startTotpEnrolment: { allowed: SIGNED_IN, query: 'mutation { startTotpEnrolment { __typename } }' },
  confirmTotpEnrolment: { allowed: SIGNED_IN, query: 'mutation { confirmTotpEnrolment(code: "12345") { __typename } }' },
  removeTotp: { allowed: SIGNED_IN, query: 'mutation { removeTotp { __typename } }' },
  startPasskeyRegistration: { allowed: SIGNED_IN, query: 'mutation { startPasskeyRegistration { __typename } }' },
  finishPasskeyRegistration: { allowed: SIGNED_IN, query: 'mutation { finishPasskeyRegistration(response: "{}") { __typename } }' },
  removePasskey: { allowed: SIGNED_IN, query: 'mutation { removePasskey(id: "00000000-0000-4000-8000-000000000000") { __typename } }' },
  regenerateRecoveryCodes: { allowed: SIGNED_IN, query: 'mutation { regenerateRecoveryCodes { __typename } }' },
  clearSecondFactors: { allowed: ['Administrator'], query: 'mutation($id: ID!) { clearSecondFactors(id: $id) { __typename } }', variables: () => ({ id: ghost('User') }) },
  setRoleRequiresSecondFactor: { allowed: ['Administrator'], query: 'mutation($id: ID!) { setRoleRequiresSecondFactor(id: $id, required: false) { __typename } }', variables: () => ({ id: ghost('Role') }) },
  createUser: {
    allowed: ['Administrator'],
    query: 'mutation($email: String!) { createUser(input: { email: $email, name: "New", password: "long enough password" }) { __typename } }',
    variables: () => ({ email: `new-${Math.random().toString(36).slice(2)}@example.com` }),
  },
  updateUser: { allowed: ['Administrator'], query: 'mutation($id: ID!) { updateUser(id: $id, input: { name: "Renamed" }) { __typename } }', variables: (f) => ({ id: f.targetUserId }) },
  disableUser: { allowed: ['Administrator'], query: 'mutation($id: ID!) { disableUser(id: $id) { __typename } }', variables: (f) => ({ id: f.targetUserId }) },
  enableUser: { allowed: ['Administrator'], query: 'mutation($id: ID!) { enableUser(id: $id) { __typename } }', variables: (f) => ({ id: f.targetUserId }) },
  setUserRoles: {
    allowed: ['Administrator'],
    query: 'mutation($id: ID!, $roles: [ID!]!) { setUserRoles(id: $id, roleIds: $roles) { __typename } }',
    variables: (f) => ({ id: f.targetUserId, roles: [f.userRoleId] }),
  },
  setQuota: { allowed: ['Administrator'], query: 'mutation($id: ID!) { setQuota(userId: $id, input: { maxVms: 3 }) { __typename } }', variables: (f) => ({ id: f.targetUserId }) },
  createRole: {
    allowed: ['Administrator'],
    query: 'mutation($name: String!) { createRole(input: { name: $name, privileges: [VM_Console] }) { __typename } }',
    variables: () => ({ name: `Role ${Math.random().toString(36).slice(2)}` }),
  },
  updateRole: { allowed: ['Administrator'], query: 'mutation($id: ID!) { updateRole(id: $id, input: { description: "changed" }) { __typename } }', variables: (f) => ({ id: f.customRoleId }) },
  deleteRole: { allowed: ['Administrator'], query: 'mutation($id: ID!) { deleteRole(id: $id) { __typename } }', variables: (f) => ({ id: f.customRoleId }) },
  createApiToken: { allowed: SIGNED_IN, query: 'mutation { createApiToken(input: { name: "t", privileges: [VM_Console] }) { __typename } }' },
  revokeApiToken: { allowed: SIGNED_IN, query: 'mutation($id: ID!) { revokeApiToken(id: $id) { __typename } }', variables: (f) => ({ id: f.adminTokenId }) },
  addHost: { allowed: ['Administrator'], query: 'mutation { addHost(input: { name: "nowhere", uri: "qemu+tcp://127.0.0.1:1/system" }) { __typename } }' },
  updateHost: { allowed: ['Administrator'], query: 'mutation($id: ID!) { updateHost(id: $id, input: { maintenance: true }) { __typename } }', variables: () => ({ id: ghost('Host') }) },
  setHostMaintenance: { allowed: ['Administrator'], query: 'mutation($id: ID!) { setHostMaintenance(id: $id, input: { maintenance: true, drain: true }) { __typename } }', variables: () => ({ id: ghost('Host') }) },
  refreshHost: { allowed: ['Administrator'], query: 'mutation($id: ID!) { refreshHost(id: $id) { __typename } }', variables: () => ({ id: ghost('Host') }) },
  removeHost: { allowed: ['Administrator'], query: 'mutation($id: ID!) { removeHost(id: $id) { __typename } }', variables: () => ({ id: ghost('Host') }) },
  // No host is registered here: an allowed create gets NoCapacityError and makes nothing.
  createVm: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation { createVm(input: { name: "m", vcpus: 1, memoryMb: 128, diskGb: 1 }) { __typename } }' },
  startVm: VM_ACTION('startVm'),
  shutdownVm: VM_ACTION('shutdownVm'),
  stopVm: VM_ACTION('stopVm'),
  rebootVm: VM_ACTION('rebootVm'),
  resetVm: VM_ACTION('resetVm'),
  suspendVm: VM_ACTION('suspendVm'),
  resumeVm: VM_ACTION('resumeVm'),
  deleteVm: VM_ACTION('deleteVm'),
  reinstallVm: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { reinstallVm(id: $id) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  resizeVm: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { resizeVm(id: $id, input: { vcpus: 2 }) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  resetVmPassword: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { resetVmPassword(id: $id, password: "a new password") { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  // Signed in: the task's own rules (acting on its VM or image) are checked inside.
  // Moving VMs between hosts is its own privilege (VM.Migrate): Operator and Administrator.
  migrateVm: { allowed: ['Operator', 'Administrator'], query: 'mutation($id: ID!) { migrateVm(id: $id) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  // Giving a VM to another user spends their quota: VM.Transfer, the built-in Administrator only.
  attachDisk: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { attachDisk(vmId: $id, input: { sizeGiB: 1 }) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  detachDisk: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { detachDisk(vmId: $id, diskId: "00000000-0000-4000-8000-000000000000") { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  resizeDisk: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { resizeDisk(vmId: $id, diskId: "00000000-0000-4000-8000-000000000000", sizeGiB: 2) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  setDiskIoLimits: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { setDiskIoLimits(vmId: $id, diskId: "00000000-0000-4000-8000-000000000000", limits: { totalIopsSec: 100 }) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  transferVm: { allowed: ['Administrator'], query: 'mutation($id: ID!, $to: ID!) { transferVm(vmId: $id, toUserId: $to) { __typename } }', variables: () => ({ id: ghost('Vm'), to: ghost('User') }) },
  // A clone is a new VM of the caller's (VM.Create); acting on the source is checked inside.
  cloneVm: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { cloneVm(id: $id, input: { name: "c" }) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  // Backups: VM.Backup and Backup.Restore (User, Operator, Administrator); targets are the administrator's.
  backupVm: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!, $t: ID!) { backupVm(vmId: $id, targetId: $t) { __typename } }', variables: () => ({ id: ghost('Vm'), t: ghost('BackupTarget') }) },
  restoreBackup: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { restoreBackup(id: $id, input: { toVm: true }) { __typename } }', variables: () => ({ id: ghost('Backup') }) },
  deleteBackup: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { deleteBackup(id: $id) { __typename } }', variables: () => ({ id: ghost('Backup') }) },
  createBackupTarget: { allowed: ['Administrator'], query: 'mutation { createBackupTarget(input: { name: "t", path: "/nonexistent/hangar-matrix" }) { __typename } }' },
  deleteBackupTarget: { allowed: ['Administrator'], query: 'mutation($id: ID!) { deleteBackupTarget(id: $id) { __typename } }', variables: () => ({ id: ghost('BackupTarget') }) },
  createBackupSchedule: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($t: ID!) { createBackupSchedule(input: { name: "s", tag: "web", targetId: $t, cron: "0 2 * * *", retention: { keepLast: 1 } }) { __typename } }', variables: () => ({ t: ghost('BackupTarget') }) },
  updateBackupSchedule: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { updateBackupSchedule(id: $id, input: { enabled: false }) { __typename } }', variables: () => ({ id: ghost('BackupSchedule') }) },
  deleteBackupSchedule: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { deleteBackupSchedule(id: $id) { __typename } }', variables: () => ({ id: ghost('BackupSchedule') }) },
  runBackupScheduleNow: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { runBackupScheduleNow(id: $id) { __typename } }', variables: () => ({ id: ghost('BackupSchedule') }) },
  // Snapshots: VM.Snapshot, held by User, Operator and Administrator (a ghost VM or snapshot is not found).
  createSnapshot: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { createSnapshot(vmId: $id, input: { name: "s" }) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  revertToSnapshot: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { revertToSnapshot(id: $id) { __typename } }', variables: () => ({ id: ghost('VmSnapshot') }) },
  deleteSnapshot: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { deleteSnapshot(id: $id) { __typename } }', variables: () => ({ id: ghost('VmSnapshot') }) },
  // A VM's NICs, CD-ROM and boot order: VM.PowerMgmt, like resize.
  attachVmInterface: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { attachVmInterface(vmId: $id, input: { network: "default" }) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  detachVmInterface: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!, $n: ID!) { detachVmInterface(vmId: $id, interfaceId: $n) { __typename } }', variables: () => ({ id: ghost('Vm'), n: ghost('VmInterface') }) },
  setVmInterfaceBandwidth: {
    allowed: ['User', 'Operator', 'Administrator'],
    query: 'mutation($id: ID!, $n: ID!) { setVmInterfaceBandwidth(vmId: $id, interfaceId: $n, input: {}) { __typename } }',
    variables: () => ({ id: ghost('Vm'), n: ghost('VmInterface') }),
  },
  setVmMedia: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { setVmMedia(vmId: $id, imageId: null) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  setVmBoot: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { setVmBoot(vmId: $id, order: [DISK]) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  // Signed in: whether the caller may act on the VM is checked inside (a ghost is not found).
  updateVmDetails: { allowed: SIGNED_IN, query: 'mutation($id: ID!) { updateVmDetails(id: $id, input: { name: "n" }) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  cancelTask: { allowed: SIGNED_IN, query: 'mutation($id: ID!) { cancelTask(id: $id) { __typename } }', variables: () => ({ id: ghost('Task') }) },
  captureImage: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { captureImage(vmId: $id, name: "c") { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  createConsoleTicket: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { createConsoleTicket(vmId: $id) { __typename } }', variables: () => ({ id: ghost('Vm') }) },
  createIpPool: {
    allowed: ['Administrator'],
    query: 'mutation($id: ID!) { createIpPool(input: { hostId: $id, name: "p", cidr: "10.9.0.0/24", rangeStart: "10.9.0.10", rangeEnd: "10.9.0.20" }) { __typename } }',
    variables: () => ({ id: ghost('Host') }),
  },
  deleteIpPool: { allowed: ['Administrator'], query: 'mutation($id: ID!) { deleteIpPool(id: $id) { __typename } }', variables: () => ({ id: ghost('IpPool') }) },
  // Images: a JSON request cannot carry a file (ValidationError), a loopback URL is refused (ValidationError), ghost ids are not found.
  uploadImage: {
    allowed: ['User', 'Operator', 'Administrator'],
    query: 'mutation($file: Upload!) { uploadImage(input: { name: "x" }, file: $file) { __typename } }',
    variables: () => ({ file: 'upload-not-in-this-request' }),
  },
  importImage: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation { importImage(input: { name: "x" }, url: "http://127.0.0.1/x.qcow2") { __typename } }' },
  updateImage: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { updateImage(id: $id, input: { name: "y" }) { __typename } }', variables: () => ({ id: ghost('Image') }) },
  shareImage: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { shareImage(id: $id, visibility: PRIVATE) { __typename } }', variables: () => ({ id: ghost('Image') }) },
  deleteImage: { allowed: ['User', 'Operator', 'Administrator'], query: 'mutation($id: ID!) { deleteImage(id: $id) { __typename } }', variables: () => ({ id: ghost('Image') }) },
  // Repositories (Image.Manage): a loopback URL is refused (ValidationError), ghost ids are not found.
  addImageRepository: { allowed: ['Operator', 'Administrator'], query: 'mutation { addImageRepository(name: "r", url: "http://127.0.0.1/") { __typename } }' },
  refreshImageRepository: { allowed: ['Operator', 'Administrator'], query: 'mutation($id: ID!) { refreshImageRepository(id: $id) { __typename } }', variables: () => ({ id: ghost('ImageRepository') }) },
  setImageRepositoryEnabled: { allowed: ['Operator', 'Administrator'], query: 'mutation($id: ID!) { setImageRepositoryEnabled(id: $id, enabled: false) { __typename } }', variables: () => ({ id: ghost('ImageRepository') }) },
  deleteImageRepository: { allowed: ['Operator', 'Administrator'], query: 'mutation($id: ID!) { deleteImageRepository(id: $id) { __typename } }', variables: () => ({ id: ghost('ImageRepository') }) },
  installRepositoryImage: { allowed: ['Operator', 'Administrator'], query: 'mutation($id: ID!) { installRepositoryImage(id: $id) { __typename } }', variables: () => ({ id: ghost('RepositoryImage') }) },
  // Single sign-on (User.Manage and Role.Manage): a loopback issuer is refused (ValidationError), ghost ids are not found.
  addOidcProvider: { allowed: ['Administrator'], query: 'mutation { addOidcProvider(input: { name: "p", issuer: "http://127.0.0.1/", clientId: "c", clientSecret: "s" }) { __typename } }' },
  updateOidcProvider: { allowed: ['Administrator'], query: 'mutation($id: ID!) { updateOidcProvider(id: $id, input: { enabled: false }) { __typename } }', variables: () => ({ id: ghost('OidcProvider') }) },
  deleteOidcProvider: { allowed: ['Administrator'], query: 'mutation($id: ID!) { deleteOidcProvider(id: $id) { __typename } }', variables: () => ({ id: ghost('OidcProvider') }) },
  // Last: it ends the caller's session.
  logout: { allowed: EVERYONE, query: 'mutation { logout }' },
};

const SUBSCRIPTIONS: Record<string, Operation> = {
  auditEntryAdded: { allowed: ['Auditor', 'Administrator'], query: 'subscription { auditEntryAdded { id } }' },
  // Another user's changes: only for those who may see every user.
  userUpdated: { allowed: ['Auditor', 'Administrator'], query: 'subscription($id: ID!) { userUpdated(id: $id) { id } }', variables: (f) => ({ id: f.targetUserId }) },
  hostUpdated: { allowed: ['Operator', 'Auditor', 'Administrator'], query: 'subscription { hostUpdated { id } }' },
  vmsUpdated: { allowed: SIGNED_IN, query: 'subscription { vmsUpdated { id } }' },
  // Lists: everyone signed in, each event cut to what they may see; users only for those who see every user.
  tasksUpdated: { allowed: SIGNED_IN, query: 'subscription { tasksUpdated { id } }' },
  imagesUpdated: { allowed: SIGNED_IN, query: 'subscription { imagesUpdated { id image { id } } }' },
  usersUpdated: { allowed: ['Auditor', 'Administrator'], query: 'subscription { usersUpdated { id } }' },
  vmUpdated: { allowed: ['Operator', 'Auditor', 'Administrator'], query: 'subscription($id: ID!) { vmUpdated(id: $id) { id } }', variables: (f) => ({ id: f.adminVmId }) },
  taskUpdated: { allowed: ['Operator', 'Auditor', 'Administrator'], query: 'subscription($id: ID!) { taskUpdated(id: $id) { id } }', variables: (f) => ({ id: f.adminTaskId }) },
  vmMetrics: { allowed: ['Operator', 'Auditor', 'Administrator'], query: 'subscription($id: ID!) { vmMetrics(id: $id) { cpuPercent } }', variables: (f) => ({ id: f.adminVmId }) },
  hostMetrics: { allowed: ['Operator', 'Auditor', 'Administrator'], query: 'subscription($id: ID!) { hostMetrics(id: $id) { cpuPercent } }', variables: (f) => ({ id: f.hostId }) },
  // Everyone signed in: cut to their own VMs, host figures only with Host.View.
  clusterMetrics: { allowed: SIGNED_IN, query: 'subscription { clusterMetrics { vcpusAllocated } }' },
};

const refused = (errors: Array<{ extensions?: Record<string, unknown> }> | undefined) =>
  (errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN' || e.extensions?.code === 'UNAUTHENTICATED');

async function fixtures(t: TestHangar, admin: string): Promise<Fixtures> {
  const target = await userWithRole(t, admin, 'User');
  const role = await t.gql('mutation { createRole(input: { name: "Console only", privileges: [VM_Console] }) { ... on Role { id } } }', {}, { cookie: admin });
  const token = await t.gql('mutation { createApiToken(input: { name: "admin token", privileges: [Audit_Read] }) { ... on CreatedApiToken { token { id } } } }', {}, { cookie: admin });
  const me = await t.gql('{ me { id } }', {}, { cookie: admin });
  const adminId = Buffer.from(me.data.me.id, 'base64').toString().split(':')[1];
  const vm = await t.hangar.db.insertInto('vms').values({ name: 'fixture', owner_id: adminId, vcpus: 1, memory_mb: 128, disk_gb: 1, state: 'stopped' }).returning('id').executeTakeFirstOrThrow();
  const host = await t.hangar.db.insertInto('hosts').values({ name: `fixture-${Math.random().toString(36).slice(2, 8)}`, uri: 'test:///default', settings: {}, capabilities: {} }).returning('id').executeTakeFirstOrThrow();
  const task = await t.hangar.db.insertInto('tasks').values({ operation: 'vm.start', vm_id: vm.id, user_id: adminId, status: 'succeeded' }).returning('id').executeTakeFirstOrThrow();
  return {
    adminVmId: Buffer.from(`Vm:${vm.id}`).toString('base64'),
    adminTaskId: Buffer.from(`Task:${task.id}`).toString('base64'),
    hostId: Buffer.from(`Host:${host.id}`).toString('base64'),
    targetUserId: target.id,
    customRoleId: role.data.createRole.id,
    userRoleId: await roleId(t, admin, 'User'),
    adminTokenId: token.data.createApiToken.token.id,
  };
}

test('the privilege matrix names every root field of the schema', () => {
  assert.deepEqual(Object.keys(schema.getQueryType()!.getFields()).sort(), Object.keys(QUERIES).sort());
  assert.deepEqual(Object.keys(schema.getMutationType()!.getFields()).sort(), Object.keys(MUTATIONS).sort());
  assert.deepEqual(Object.keys(schema.getSubscriptionType()!.getFields()).sort(), Object.keys(SUBSCRIPTIONS).sort());
});

for (const backend of BACKENDS) {
  describe(`privilege matrix [${backend}]`, () => {
    const hangar = useTestHangar(backend);

    test('every query and mutation is allowed or refused for every built-in role as declared', async () => {
      const t = hangar();
      const admin = await setupAdmin(t);
      const f = await fixtures(t, admin);
      const mismatches: string[] = [];
      for (const role of ROLES) {
        // Administrators last and on a fresh session, so their successful changes do not hide others' refusals.
        const cookie = role === 'anonymous' ? undefined : role === 'Administrator' ? await login(t, ADMIN.email, ADMIN.password) : (await userWithRole(t, admin, role)).cookie;
        for (const [name, op] of [...Object.entries(QUERIES), ...Object.entries(MUTATIONS)]) {
          const result = await t.gql(op.query, op.variables?.(f) ?? {}, { cookie });
          const allowed = !refused(result.errors);
          if (allowed !== op.allowed.includes(role)) mismatches.push(`${role} ${name}: ${allowed ? 'allowed' : 'refused'} ${JSON.stringify(result.errors ?? result.data)}`);
          if (allowed && result.errors?.length) mismatches.push(`${role} ${name}: unexpected error ${JSON.stringify(result.errors)}`);
        }
      }
      assert.deepEqual(mismatches, []);
    });

    test('every subscription is allowed or refused for every built-in role as declared', async () => {
      const t = hangar();
      const admin = await login(t, ADMIN.email, ADMIN.password);
      const f = await fixtures(t, admin);
      const mismatches: string[] = [];
      for (const role of ROLES) {
        const cookie = role === 'anonymous' ? undefined : role === 'Administrator' ? admin : (await userWithRole(t, admin, role)).cookie;
        const client = wsClient(t.url, { cookie });
        for (const [name, op] of Object.entries(SUBSCRIPTIONS)) {
          const sub = subscribe(client, op.query, op.variables?.(f) ?? {});
          const outcome = await Promise.race([sub.closed, new Promise((resolve) => setTimeout(() => resolve('open'), 300))]);
          const allowed = outcome === 'open';
          if (allowed !== op.allowed.includes(role)) mismatches.push(`${role} ${name}: ${allowed ? 'allowed' : 'refused'} ${JSON.stringify(outcome)}`);
        }
        await client.dispose();
      }
      assert.deepEqual(mismatches, []);
    });
  });
}
