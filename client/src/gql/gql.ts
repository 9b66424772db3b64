/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Bootstrap {\n    me { id email name privileges roles { name } }\n    setupRequired\n    secondFactorEnrolmentRequired\n  }\n": typeof types.BootstrapDocument,
    "mutation Logout { logout }": typeof types.LogoutDocument,
    "\n  subscription MeUpdated($id: ID!) { userUpdated(id: $id) { id name email privileges } }\n": typeof types.MeUpdatedDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      __typename\n      ... on LoginSuccess { user { id email name } }\n      ... on SecondFactorRequired { token methods passkeyOptions }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation VerifySecondFactor($input: VerifySecondFactorInput!) {\n    verifySecondFactor(input: $input) {\n      __typename\n      ... on LoginSuccess { user { id } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.VerifySecondFactorDocument,
    "\n  query SignInProviders { signInProviders { id name startUrl } }\n": typeof types.SignInProvidersDocument,
    "\n  query MySecondFactor {\n    mySecondFactor { totpEnabled recoveryCodesLeft required enrolmentRequired passkeys { id name createdAt lastUsedAt } }\n  }\n": typeof types.MySecondFactorDocument,
    "\n  mutation StartTotpEnrolment { startTotpEnrolment { __typename ... on TotpEnrolment { secret uri } ... on Error { message } } }\n": typeof types.StartTotpEnrolmentDocument,
    "\n  mutation ConfirmTotpEnrolment($code: String!) {\n    confirmTotpEnrolment(code: $code) { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.ConfirmTotpEnrolmentDocument,
    "mutation RemoveTotp { removeTotp { __typename ... on SecondFactorSettings { totpEnabled } ... on Error { message } } }": typeof types.RemoveTotpDocument,
    "\n  mutation StartPasskeyRegistration { startPasskeyRegistration { __typename ... on PasskeyRegistration { options } ... on Error { message } } }\n": typeof types.StartPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($response: String!, $name: String) {\n    finishPasskeyRegistration(response: $response, name: $name) { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } }\n  }\n": typeof types.FinishPasskeyRegistrationDocument,
    "mutation RemovePasskey($id: ID!) { removePasskey(id: $id) { __typename ... on SecondFactorSettings { totpEnabled } ... on Error { message } } }": typeof types.RemovePasskeyDocument,
    "\n  mutation RegenerateRecoveryCodes { regenerateRecoveryCodes { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } } }\n": typeof types.RegenerateRecoveryCodesDocument,
    "\n  mutation SetupAdministrator($input: SetupAdministratorInput!) {\n    setupAdministrator(input: $input) {\n      __typename\n      ... on User { id }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.SetupAdministratorDocument,
    "\n  query FirstRun {\n    hosts { id }\n    images(first: 1, filter: { status: READY }) { edges { node { id } } }\n    vms(first: 1) { edges { node { id } } }\n  }\n": typeof types.FirstRunDocument,
    "subscription FirstRunImages { imagesUpdated { id } }": typeof types.FirstRunImagesDocument,
    "subscription FirstRunVms { vmsUpdated { id } }": typeof types.FirstRunVmsDocument,
    "\n  mutation UpdateHostSettings($id: ID!, $input: UpdateHostInput!) {\n    updateHost(id: $id, input: $input) {\n      __typename\n      ... on Host { ...HostFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.UpdateHostSettingsDocument,
    "\n  mutation DrainHost($id: ID!, $input: SetHostMaintenanceInput!) {\n    setHostMaintenance(id: $id, input: $input) {\n      __typename\n      ... on SetHostMaintenancePayload { host { ...HostFields } task { id } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.DrainHostDocument,
    "\n  fragment ImageRow on Image {\n    id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes\n    visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256\n    owner { id name }\n    sharedWith { id name }\n  }\n": typeof types.ImageRowFragmentDoc,
    "\n  query Images($filter: ImageFilter) {\n    images(filter: $filter, first: 40) {\n      edges {\n        node {\n          id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes\n          visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256\n          owner { id name }\n          sharedWith { id name }\n        }\n      }\n    }\n  }\n": typeof types.ImagesDocument,
    "\n  subscription ImagesUpdated { imagesUpdated { id image { ...ImageRow } } }\n": typeof types.ImagesUpdatedDocument,
    "\n  mutation UploadImage($input: ImageInput!, $file: Upload!) {\n    uploadImage(input: $input, file: $file) {\n      __typename\n      ... on Image { id name status }\n      ... on ImageRejectedError { reason }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.UploadImageDocument,
    "\n  mutation ImportImage($input: ImageInput!, $url: String!) {\n    importImage(input: $input, url: $url) {\n      __typename\n      ... on ImportImagePayload { image { id name status } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.ImportImageDocument,
    "\n  mutation ShareImage($id: ID!, $visibility: ImageVisibility!, $userIds: [ID!]) {\n    shareImage(id: $id, visibility: $visibility, userIds: $userIds) {\n      __typename\n      ... on Image { id visibility sharedWith { id name } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.ShareImageDocument,
    "\n  mutation DeleteImage($id: ID!) {\n    deleteImage(id: $id) { __typename ... on Image { id } ... on Error { message } }\n  }\n": typeof types.DeleteImageDocument,
    "\n  query ShareCandidates { users(first: 100) { edges { node { id name email } } } }\n": typeof types.ShareCandidatesDocument,
    "\n  query CaptureVms { vms(first: 100) { edges { node { id name state image { id } } } } }\n": typeof types.CaptureVmsDocument,
    "\n  query RepositoryImages {\n    repositoryImages {\n      id product version name osFamily osVersion arch defaultUser minDiskGb minMemoryMb sizeBytes checksumAlgorithm\n      installed updateAvailable versionSeenAt\n      repository { id name }\n      image { id status }\n      installFailure { reason message }\n      installTask { ...TaskFields }\n    }\n  }\n": typeof types.RepositoryImagesDocument,
    "\n  query ImageRepositories {\n    imageRepositories { id name url builtin signed enabled refreshedAt refreshFailure { reason message } }\n  }\n": typeof types.ImageRepositoriesDocument,
    "\n  mutation InstallRepositoryImage($id: ID!) {\n    installRepositoryImage(id: $id) {\n      __typename\n      ... on InstallRepositoryImagePayload { image { id name status } task { ...TaskFields } }\n      ... on Error { message }\n    }\n  }\n": typeof types.InstallRepositoryImageDocument,
    "\n  mutation AddImageRepository($name: String!, $url: String!, $signingKey: String) {\n    addImageRepository(name: $name, url: $url, signingKey: $signingKey) {\n      __typename\n      ... on RefreshImageRepositoryPayload { added updated repository { id name } }\n      ... on RepositoryIndexError { reason }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.AddImageRepositoryDocument,
    "\n  mutation RefreshImageRepository($id: ID!) {\n    refreshImageRepository(id: $id) {\n      __typename\n      ... on RefreshImageRepositoryPayload { added updated }\n      ... on RepositoryIndexError { reason }\n      ... on Error { message }\n    }\n  }\n": typeof types.RefreshImageRepositoryDocument,
    "\n  mutation SetImageRepositoryEnabled($id: ID!, $enabled: Boolean!) {\n    setImageRepositoryEnabled(id: $id, enabled: $enabled) { __typename ... on ImageRepository { id enabled } ... on Error { message } }\n  }\n": typeof types.SetImageRepositoryEnabledDocument,
    "subscription RepositoryImagesChanged { imagesUpdated { id } }": typeof types.RepositoryImagesChangedDocument,
    "\n  fragment AuditEntryFields on AuditEntry { id at action result requestId target { type id name exists } actorName address detail actor { id name } }\n": typeof types.AuditEntryFieldsFragmentDoc,
    "\n  query AuditLog($filter: AuditFilter, $after: String) {\n    auditLog(filter: $filter, first: 25, after: $after) {\n      edges { node { ...AuditEntryFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query AuditActions { auditActions }\n": typeof types.AuditActionsDocument,
    "\n  subscription AuditAdded { auditEntryAdded { ...AuditEntryFields } }\n": typeof types.AuditAddedDocument,
    "\n  query BackupTargets { backupTargets { id name shared pool path createdAt host { id name } } }\n": typeof types.BackupTargetsDocument,
    "\n  query BackupTargetHosts { hosts { id name } }\n": typeof types.BackupTargetHostsDocument,
    "\n  mutation CreateBackupTarget($input: CreateBackupTargetInput!) {\n    createBackupTarget(input: $input) {\n      __typename\n      ... on BackupTarget { id }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateBackupTargetDocument,
    "\n  mutation DeleteBackupTarget($id: ID!) { deleteBackupTarget(id: $id) { __typename ... on BackupTarget { id } ... on Error { message } } }\n": typeof types.DeleteBackupTargetDocument,
    "\n  query ClusterMetricsHistory($from: DateTime!) {\n    clusterMetricsHistory(from: $from) { resolutionSeconds times series { name avg } }\n  }\n": typeof types.ClusterMetricsHistoryDocument,
    "\n  subscription ClusterMetricsLive { clusterMetrics { at cpuPercent memoryUsedBytes memoryTotalBytes } }\n": typeof types.ClusterMetricsLiveDocument,
    "\n  query Dashboard($withHosts: Boolean!) {\n    vms(first: 100) { edges { node { id name state vcpus memoryMb diskGb } } pageInfo { hasNextPage } }\n    hosts @include(if: $withHosts) {\n      id name status maintenance\n      allocation { vcpus memoryMb diskGb vms }\n      capacity { cpus cpuOvercommit vcpus memoryMb memoryOvercommit allocatableMemoryMb }\n    }\n    tasks(first: 5) { edges { node { ...TaskFields } } }\n  }\n": typeof types.DashboardDocument,
    "\n  subscription DashboardHost { hostUpdated { id status maintenance allocation { vcpus memoryMb diskGb vms } } }\n": typeof types.DashboardHostDocument,
    "\n  subscription DashboardVm { vmsUpdated { id state } }\n": typeof types.DashboardVmDocument,
    "\n  subscription ClusterMetrics {\n    clusterMetrics {\n      at hostsUp hostsTotal vmsByState { state count }\n      vcpusAllocated memoryAllocatedBytes diskAllocatedBytes\n      cpuPercent memoryUsedBytes memoryTotalBytes memoryAllocatableBytes vcpusTotal\n      busiestVms { vmId at cpuPercent memoryUsedBytes netRxBytesPerSecond netTxBytesPerSecond diskReadBytesPerSecond diskWriteBytesPerSecond }\n    }\n  }\n": typeof types.ClusterMetricsDocument,
    "\n  query HostDetail($id: ID!) {\n    node(id: $id) { ... on Host { ...HostFields createdAt libvirtNetworks lastDrain { ...TaskFields } } }\n    vms(filter: { hostId: $id }, first: 25) { edges { node { id name state vcpus memoryMb diskGb owner { id name } } } pageInfo { hasNextPage } }\n  }\n": typeof types.HostDetailDocument,
    "\n  mutation RefreshHost($id: ID!) { refreshHost(id: $id) { __typename ... on Host { ...HostFields } ... on Error { message } } }\n": typeof types.RefreshHostDocument,
    "\n  mutation RemoveHost($id: ID!) { removeHost(id: $id) { __typename ... on Host { id } ... on Error { message } } }\n": typeof types.RemoveHostDocument,
    "\n  mutation CreateIpPool($input: CreateIpPoolInput!) {\n    createIpPool(input: $input) {\n      __typename\n      ... on IpPool { id }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateIpPoolDocument,
    "\n  mutation DeleteIpPool($id: ID!) { deleteIpPool(id: $id) { __typename ... on IpPool { id } ... on Error { message } } }\n": typeof types.DeleteIpPoolDocument,
    "\n  query HostMetricsHistory($id: ID!, $from: DateTime!) {\n    node(id: $id) { ... on Host { metrics(from: $from) { resolutionSeconds times series { name avg } } } }\n  }\n": typeof types.HostMetricsHistoryDocument,
    "\n  subscription HostMetricsLive($id: ID!) {\n    hostMetrics(id: $id) { hostId at cpuPercent memoryUsedBytes memoryTotalBytes diskReadBytesPerSecond diskWriteBytesPerSecond netRxBytesPerSecond netTxBytesPerSecond vmsRunning }\n  }\n": typeof types.HostMetricsLiveDocument,
    "\n  fragment HostFields on Host {\n    id name uri status statusMessage maintenance domainType domainTypeReason lastSeenAt\n    capabilities { cpus memoryMb cpuModel arch nested libvirtVersion hypervisorVersion }\n    allocation { vcpus memoryMb diskGb vms }\n    capacity { cpus cpuOvercommit vcpus memoryMb memoryOvercommit allocatableMemoryMb }\n    settings { cpuOvercommit memoryOvercommit concurrency diskPool imagePool vncListen network { kind name } }\n    ipPools { id name cidr gateway rangeStart rangeEnd size used dns }\n  }\n": typeof types.HostFieldsFragmentDoc,
    "\n  query Hosts { hosts { ...HostFields } }\n": typeof types.HostsDocument,
    "\n  subscription HostUpdated { hostUpdated { ...HostFields } }\n": typeof types.HostUpdatedDocument,
    "\n  mutation AddHost($input: AddHostInput!) {\n    addHost(input: $input) {\n      __typename\n      ... on Host { ...HostFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.AddHostDocument,
    "\n  mutation SetHostMaintenance($id: ID!, $maintenance: Boolean!) {\n    updateHost(id: $id, input: { maintenance: $maintenance }) {\n      __typename\n      ... on Host { ...HostFields }\n      ... on Error { message }\n    }\n  }\n": typeof types.SetHostMaintenanceDocument,
    "\n  query Profile {\n    me {\n      id name email privileges createdAt\n      roles { id name }\n      quota { maxVcpus maxMemoryMb maxDiskGb maxVms }\n      apiTokens { id name privileges createdAt expiresAt revokedAt }\n    }\n  }\n": typeof types.ProfileDocument,
    "\n  mutation UpdateMe($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { __typename ... on User { id name email } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.UpdateMeDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.ChangePasswordDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreatedApiToken { secret token { id name } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { __typename ... on ApiToken { id } ... on Error { message } } }\n": typeof types.RevokeApiTokenDocument,
    "\n  query Roles {\n    roles(first: 100) { edges { node { id name description builtIn requiresSecondFactor privileges } } }\n    privileges { privilege description }\n  }\n": typeof types.RolesDocument,
    "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) { __typename ... on Role { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.CreateRoleDocument,
    "\n  mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {\n    updateRole(id: $id, input: $input) { __typename ... on Role { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.UpdateRoleDocument,
    "\n  mutation SetRoleRequiresSecondFactor($id: ID!, $required: Boolean!) {\n    setRoleRequiresSecondFactor(id: $id, required: $required) { __typename ... on Role { id requiresSecondFactor } ... on Error { message } }\n  }\n": typeof types.SetRoleRequiresSecondFactorDocument,
    "\n  mutation DeleteRole($id: ID!) { deleteRole(id: $id) { __typename ... on Role { id } ... on Error { message } } }\n": typeof types.DeleteRoleDocument,
    "\n  query OidcProviders {\n    oidcProviders {\n      id name issuer clientId scopes usernameClaim emailClaim nameClaim groupsClaim createUsers enabled callbackUrl\n      groupRoles { group role { id name } }\n    }\n    roles(first: 200) { edges { node { id name } } }\n  }\n": typeof types.OidcProvidersDocument,
    "\n  mutation AddOidcProvider($input: AddOidcProviderInput!) {\n    addOidcProvider(input: $input) { __typename ... on OidcProvider { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.AddOidcProviderDocument,
    "\n  mutation UpdateOidcProvider($id: ID!, $input: UpdateOidcProviderInput!) {\n    updateOidcProvider(id: $id, input: $input) { __typename ... on OidcProvider { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.UpdateOidcProviderDocument,
    "\n  mutation DeleteOidcProvider($id: ID!) { deleteOidcProvider(id: $id) { __typename ... on OidcProvider { id } ... on Error { message } } }\n": typeof types.DeleteOidcProviderDocument,
    "\n  query Tasks($filter: TaskFilter) { tasks(filter: $filter, first: 15) { edges { node { ...TaskFields } } } }\n": typeof types.TasksDocument,
    "\n  fragment UserRow on User { id name email disabled createdAt secondFactorMethods roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms maxSnapshotsPerVm } }\n": typeof types.UserRowFragmentDoc,
    "\n  query Users($filter: UserFilter) {\n    users(filter: $filter, first: 36) {\n      edges { node { id name email disabled createdAt secondFactorMethods roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms maxSnapshotsPerVm } } }\n    }\n    roles(first: 100) { edges { node { id name builtIn } } }\n  }\n": typeof types.UsersDocument,
    "\n  subscription UsersUpdated { usersUpdated { ...UserRow } }\n": typeof types.UsersUpdatedDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation SetUserRoles($id: ID!, $roleIds: [ID!]!) {\n    setUserRoles(id: $id, roleIds: $roleIds) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.SetUserRolesDocument,
    "\n  mutation SetQuota($userId: ID!, $input: QuotaInput!) {\n    setQuota(userId: $userId, input: $input) { __typename ... on Quota { maxVms } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.SetQuotaDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.UpdateUserDocument,
    "\n  mutation SetUserPassword($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": typeof types.SetUserPasswordDocument,
    "\n  mutation DisableUser($id: ID!) { disableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }\n": typeof types.DisableUserDocument,
    "\n  mutation ClearSecondFactors($id: ID!) { clearSecondFactors(id: $id) { __typename ... on User { id } ... on Error { message } } }\n": typeof types.ClearSecondFactorsDocument,
    "\n  mutation EnableUser($id: ID!) { enableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }\n": typeof types.EnableUserDocument,
    "\n  query CreateVmOptions($withHosts: Boolean!) {\n    images(filter: { status: READY }, first: 50) {\n      edges { node { id name osFamily osVersion minDiskGb minMemoryMb cloudInit defaultUser virtualSizeBytes visibility } }\n    }\n    hosts @include(if: $withHosts) { id name status maintenance capabilities { cpus memoryMb } allocation { vcpus memoryMb } }\n    me { id quota { maxVcpus maxMemoryMb maxDiskGb maxVms } quotaUsage { vms vcpus memoryMb diskGb } }\n  }\n": typeof types.CreateVmOptionsDocument,
    "\n  mutation CreateVm($input: CreateVmInput!) {\n    createVm(input: $input) {\n      __typename\n      ... on VmTaskPayload { vm { id name state } task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateVmDocument,
    "\n  fragment VmDetailFields on Vm {\n    ...VmSummary\n    description\n    isoPath\n    network { kind name macAddress addressing pool addresses }\n    guest { hostname username timezone sshKeys hasPassword fullCopy firstBootScript }\n    image { id name osFamily osVersion }\n    actions { action allowed reason }\n  }\n": typeof types.VmDetailFieldsFragmentDoc,
    "\n  query VmDetail($id: ID!) {\n    node(id: $id) { ... on Vm { ...VmDetailFields } }\n    tasks(filter: { vmId: $id }, first: 10) { edges { node { ...TaskFields } } }\n  }\n": typeof types.VmDetailDocument,
    "\n  subscription VmUpdated($id: ID!) { vmUpdated(id: $id) { ...VmDetailFields } }\n": typeof types.VmUpdatedDocument,
    "\n  query VmList($filter: VmFilter, $after: String) {\n    vms(filter: $filter, first: 20, after: $after) {\n      edges { node { ...VmSummary actions { action allowed reason } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": typeof types.VmListDocument,
    "\n  subscription VmListUpdated { vmsUpdated { ...VmSummary actions { action allowed reason } } }\n": typeof types.VmListUpdatedDocument,
    "\n  query VmListMetrics($ids: [ID!]!) { nodes(ids: $ids) { ... on Vm { id latestMetrics { at cpuPercent memoryUsedBytes } } } }\n": typeof types.VmListMetricsDocument,
    "\n  fragment ScheduleFields on BackupSchedule {\n    id name cron timezone enabled chainCap tag\n    vms { id }\n    target { id name }\n    retention { keepLast keepDaily keepWeekly keepMonthly }\n    nextRuns(count: 3)\n    lastRun { startedAt finishedAt skipped prunedCount vms { vmId vmName status reason } }\n  }\n": typeof types.ScheduleFieldsFragmentDoc,
    "\n  query VmBackupSchedules($id: ID!) {\n    node(id: $id) { ... on Vm { id tags } }\n    backupSchedules { ...ScheduleFields }\n    backupTargets { id name }\n  }\n": typeof types.VmBackupSchedulesDocument,
    "\n  mutation CreateBackupSchedule($input: BackupScheduleInput!) {\n    createBackupSchedule(input: $input) {\n      __typename\n      ... on BackupSchedule { ...ScheduleFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateBackupScheduleDocument,
    "\n  mutation UpdateBackupSchedule($id: ID!, $input: BackupScheduleInput!) {\n    updateBackupSchedule(id: $id, input: $input) {\n      __typename\n      ... on BackupSchedule { ...ScheduleFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.UpdateBackupScheduleDocument,
    "\n  mutation DeleteBackupSchedule($id: ID!) { deleteBackupSchedule(id: $id) { __typename ... on Error { message } } }\n": typeof types.DeleteBackupScheduleDocument,
    "\n  mutation RunBackupScheduleNow($id: ID!) { runBackupScheduleNow(id: $id) { __typename ... on Error { message } } }\n": typeof types.RunBackupScheduleNowDocument,
    "\n  query BackupRetentionPreview($vmId: ID!, $targetId: ID!, $retention: BackupRetentionInput!, $timezone: String, $scheduleId: ID) {\n    backupRetentionPreview(vmId: $vmId, targetId: $targetId, retention: $retention, timezone: $timezone, scheduleId: $scheduleId) {\n      __typename\n      ... on QueryBackupRetentionPreviewSuccess { data { keep reason backup { id kind createdAt } } }\n      ... on Error { message }\n    }\n  }\n": typeof types.BackupRetentionPreviewDocument,
    "\n  fragment BackupFields on Backup {\n    id kind status reason error chainLength sizeBytes readBytes createdAt finishedAt vmName\n    parent { id createdAt }\n    target { id name }\n    disks { target virtualSizeBytes }\n  }\n": typeof types.BackupFieldsFragmentDoc,
    "\n  query VmBackups($id: ID!) {\n    node(id: $id) { ... on Vm { id backups { ...BackupFields } } }\n    backupTargets { id name shared }\n  }\n": typeof types.VmBackupsDocument,
    "\n  mutation BackupVm($vmId: ID!, $targetId: ID!) {\n    backupVm(vmId: $vmId, targetId: $targetId) {\n      __typename\n      ... on BackupTaskPayload { backup { ...BackupFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.BackupVmDocument,
    "\n  mutation RestoreBackup($id: ID!, $input: RestoreBackupInput!) {\n    restoreBackup(id: $id, input: $input) {\n      __typename\n      ... on RestoreBackupPayload { vm { id name } task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.RestoreBackupDocument,
    "\n  mutation DeleteBackup($id: ID!, $withDependents: Boolean) {\n    deleteBackup(id: $id, withDependents: $withDependents) {\n      __typename\n      ... on DeleteBackupPayload { deletedIds }\n      ... on Error { message }\n    }\n  }\n": typeof types.DeleteBackupDocument,
    "\n  query VmDisks($id: ID!) {\n    node(id: $id) {\n      ... on Vm {\n        id\n        disks { id boot bootOrder target bus pool volume sizeGb allocationBytes ioLimits { totalBytesSec readBytesSec writeBytesSec totalIopsSec readIopsSec writeIopsSec } }\n      }\n    }\n  }\n": typeof types.VmDisksDocument,
    "\n  mutation AttachDisk($vmId: ID!, $input: AttachDiskInput!) {\n    attachDisk(vmId: $vmId, input: $input) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.AttachDiskDocument,
    "\n  mutation DetachDisk($vmId: ID!, $diskId: ID!, $deleteVolume: Boolean) {\n    detachDisk(vmId: $vmId, diskId: $diskId, deleteVolume: $deleteVolume) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.DetachDiskDocument,
    "\n  mutation ResizeDisk($vmId: ID!, $diskId: ID!, $sizeGiB: Int!) {\n    resizeDisk(vmId: $vmId, diskId: $diskId, sizeGiB: $sizeGiB) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.ResizeDiskDocument,
    "\n  mutation SetDiskIoLimits($vmId: ID!, $diskId: ID!, $limits: DiskIoLimitsInput!) {\n    setDiskIoLimits(vmId: $vmId, diskId: $diskId, limits: $limits) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.SetDiskIoLimitsDocument,
    "\n  fragment VmSnapshotFields on VmSnapshot {\n    id\n    name\n    description\n    status\n    isCurrent\n    includesMemory\n    quiesced\n    sizeBytes\n    createdAt\n    createdBy { id name }\n    parent { id }\n  }\n": typeof types.VmSnapshotFieldsFragmentDoc,
    "\n  query VmSnapshots($id: ID!) { node(id: $id) { ... on Vm { id snapshots { ...VmSnapshotFields } } } }\n": typeof types.VmSnapshotsDocument,
    "\n  mutation CreateSnapshot($vmId: ID!, $input: CreateSnapshotInput!) {\n    createSnapshot(vmId: $vmId, input: $input) {\n      __typename\n      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CreateSnapshotDocument,
    "\n  mutation RevertToSnapshot($id: ID!) {\n    revertToSnapshot(id: $id) {\n      __typename\n      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.RevertToSnapshotDocument,
    "\n  mutation DeleteSnapshot($id: ID!) {\n    deleteSnapshot(id: $id) {\n      __typename\n      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.DeleteSnapshotDocument,
    "\n  query Task($id: ID!) { node(id: $id) { ... on Task { ...TaskFields } } }\n": typeof types.TaskDocument,
    "\n  query TaskLog($id: ID!) { node(id: $id) { ... on Task { id log { at line warning } } } }\n": typeof types.TaskLogDocument,
    "\n  mutation CancelTask($id: ID!) { cancelTask(id: $id) { __typename ... on CancelTaskPayload { task { ...TaskFields } } ... on Error { message } } }\n": typeof types.CancelTaskDocument,
    "\n  query CloneHosts { hosts { id name status maintenance } }\n": typeof types.CloneHostsDocument,
    "\n  mutation CloneVm($id: ID!, $input: CloneVmInput!) {\n    cloneVm(id: $id, input: $input) {\n      __typename\n      ... on VmTaskPayload { vm { id } task { id } }\n      ... on QuotaExceededError { resource }\n      ... on NoCapacityError { message }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CloneVmDocument,
    "\n  mutation UpdateVmDetails($id: ID!, $input: UpdateVmDetailsInput!) {\n    updateVmDetails(id: $id, input: $input) {\n      __typename\n      ... on Vm { ...VmSummary description }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.UpdateVmDetailsDocument,
    "\n  query VmHardware($id: ID!) {\n    node(id: $id) {\n      ... on Vm {\n        id\n        bootOrder\n        bootOnce\n        isoPath\n        cdrom { id name }\n        interfaces { id position macAddress kind network address pool guestAddresses bandwidth { inbound { average peak burst } outbound { average peak burst } } }\n        host { id ipPools { id name } libvirtNetworks }\n      }\n    }\n    images(filter: { kind: ISO, status: READY }, first: 200) { edges { node { id name } } }\n  }\n": typeof types.VmHardwareDocument,
    "\n  mutation AttachVmInterface($vmId: ID!, $input: AttachVmInterfaceInput!) {\n    attachVmInterface(vmId: $vmId, input: $input) {\n      __typename\n      ... on VmInterfacePayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.AttachVmInterfaceDocument,
    "\n  mutation DetachVmInterface($vmId: ID!, $interfaceId: ID!) {\n    detachVmInterface(vmId: $vmId, interfaceId: $interfaceId) {\n      __typename\n      ... on VmTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n    }\n  }\n": typeof types.DetachVmInterfaceDocument,
    "\n  mutation SetVmInterfaceBandwidth($vmId: ID!, $interfaceId: ID!, $input: InterfaceBandwidthInput!) {\n    setVmInterfaceBandwidth(vmId: $vmId, interfaceId: $interfaceId, input: $input) {\n      __typename\n      ... on VmInterfacePayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.SetVmInterfaceBandwidthDocument,
    "\n  mutation SetVmMedia($vmId: ID!, $imageId: ID) {\n    setVmMedia(vmId: $vmId, imageId: $imageId) {\n      __typename\n      ... on VmTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.SetVmMediaDocument,
    "\n  mutation SetVmBoot($vmId: ID!, $order: [BootDevice!]!, $once: Boolean) {\n    setVmBoot(vmId: $vmId, order: $order, once: $once) {\n      __typename\n      ... on VmTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.SetVmBootDocument,
    "\n  query VmMetricsHistory($id: ID!, $from: DateTime!, $to: DateTime) {\n    node(id: $id) { ... on Vm { metrics(from: $from, to: $to) { resolutionSeconds times series { name avg } } } }\n  }\n": typeof types.VmMetricsHistoryDocument,
    "\n  subscription VmMetricsLive($id: ID!) {\n    vmMetrics(id: $id) {\n      vmId at cpuPercent memoryUsedBytes memoryAvailableBytes\n      diskReadBytesPerSecond diskWriteBytesPerSecond netRxBytesPerSecond netTxBytesPerSecond\n    }\n  }\n": typeof types.VmMetricsLiveDocument,
    "\n  query TransferRecipients { users(first: 200, filter: { disabled: false }) { edges { node { id name email } } } }\n": typeof types.TransferRecipientsDocument,
    "\n  mutation TransferVm($vmId: ID!, $toUserId: ID!) {\n    transferVm(vmId: $vmId, toUserId: $toUserId) {\n      __typename\n      ... on TransferVmPayload { vm { ...VmSummary } newOwner { id name } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.TransferVmDocument,
    "\n  query MigrateTargets { hosts { id name status maintenance capacity { vcpus allocatableMemoryMb } allocation { vcpus memoryMb } } }\n": typeof types.MigrateTargetsDocument,
    "\n  mutation MigrateVm($id: ID!, $input: MigrateVmInput) {\n    migrateVm(id: $id, input: $input) {\n      __typename\n      ... on MigrateVmPayload { reason vm { ...VmSummary } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.MigrateVmDocument,
    "\n  mutation ResetVmPassword($id: ID!, $password: String!) {\n    resetVmPassword(id: $id, password: $password) {\n      __typename\n      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.ResetVmPasswordDocument,
    "\n  mutation ReinstallVm($id: ID!, $imageId: ID, $guest: GuestInput) {\n    reinstallVm(id: $id, imageId: $imageId, guest: $guest) {\n      __typename\n      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.ReinstallVmDocument,
    "\n  query ReinstallImages { images(filter: { status: READY }, first: 100) { edges { node { id name } } } }\n": typeof types.ReinstallImagesDocument,
    "\n  mutation ResizeVm($id: ID!, $input: ResizeVmInput!) {\n    resizeVm(id: $id, input: $input) {\n      __typename\n      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.ResizeVmDocument,
    "\n  mutation CreateConsoleTicket($vmId: ID!) {\n    createConsoleTicket(vmId: $vmId) {\n      __typename\n      ... on ConsoleTicket { ticket expiresAt path }\n      ... on Error { message }\n    }\n  }\n": typeof types.CreateConsoleTicketDocument,
    "\n  fragment VmSummary on Vm {\n    id\n    name\n    tags\n    state\n    stateMessage\n    vcpus\n    memoryMb\n    diskGb\n    ipAddress\n    updatedAt\n    createdAt\n    host { id name }\n    owner { id name }\n    image { id name }\n  }\n": typeof types.VmSummaryFragmentDoc,
    "\n  fragment TaskFields on Task {\n    id\n    operation\n    status\n    error\n    requestId\n    createdAt\n    startedAt\n    finishedAt\n    user { id name }\n    vm { id name }\n    steps { name state progress message position startedAt finishedAt }\n    warnings\n    cancelRequested\n    canCancel\n  }\n": typeof types.TaskFieldsFragmentDoc,
    "\n  subscription TaskUpdated($id: ID!) { taskUpdated(id: $id) { ...TaskFields } }\n": typeof types.TaskUpdatedDocument,
    "\n  subscription TasksUpdated { tasksUpdated { ...TaskFields } }\n": typeof types.TasksUpdatedDocument,
    "\n  subscription VmsUpdated { vmsUpdated { ...VmSummary } }\n": typeof types.VmsUpdatedDocument,
    "\n  mutation CaptureImage($vmId: ID!, $name: String!) {\n    captureImage(vmId: $vmId, name: $name) {\n      __typename\n      ... on CaptureImagePayload { image { id name status } task { ...TaskFields } vm { ...VmSummary } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": typeof types.CaptureImageDocument,
    "\n  mutation StartVm($id: ID!) { startVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": typeof types.StartVmDocument,
    "\n  mutation ShutdownVm($id: ID!) { shutdownVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": typeof types.ShutdownVmDocument,
    "\n  mutation StopVm($id: ID!) { stopVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": typeof types.StopVmDocument,
    "\n  mutation RebootVm($id: ID!) { rebootVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": typeof types.RebootVmDocument,
    "\n  mutation ResetVm($id: ID!) { resetVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": typeof types.ResetVmDocument,
    "\n  mutation SuspendVm($id: ID!) { suspendVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": typeof types.SuspendVmDocument,
    "\n  mutation ResumeVm($id: ID!) { resumeVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": typeof types.ResumeVmDocument,
    "\n  mutation DeleteVm($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": typeof types.DeleteVmDocument,
};
const documents: Documents = {
    "\n  query Bootstrap {\n    me { id email name privileges roles { name } }\n    setupRequired\n    secondFactorEnrolmentRequired\n  }\n": types.BootstrapDocument,
    "mutation Logout { logout }": types.LogoutDocument,
    "\n  subscription MeUpdated($id: ID!) { userUpdated(id: $id) { id name email privileges } }\n": types.MeUpdatedDocument,
    "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      __typename\n      ... on LoginSuccess { user { id email name } }\n      ... on SecondFactorRequired { token methods passkeyOptions }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation VerifySecondFactor($input: VerifySecondFactorInput!) {\n    verifySecondFactor(input: $input) {\n      __typename\n      ... on LoginSuccess { user { id } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.VerifySecondFactorDocument,
    "\n  query SignInProviders { signInProviders { id name startUrl } }\n": types.SignInProvidersDocument,
    "\n  query MySecondFactor {\n    mySecondFactor { totpEnabled recoveryCodesLeft required enrolmentRequired passkeys { id name createdAt lastUsedAt } }\n  }\n": types.MySecondFactorDocument,
    "\n  mutation StartTotpEnrolment { startTotpEnrolment { __typename ... on TotpEnrolment { secret uri } ... on Error { message } } }\n": types.StartTotpEnrolmentDocument,
    "\n  mutation ConfirmTotpEnrolment($code: String!) {\n    confirmTotpEnrolment(code: $code) { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.ConfirmTotpEnrolmentDocument,
    "mutation RemoveTotp { removeTotp { __typename ... on SecondFactorSettings { totpEnabled } ... on Error { message } } }": types.RemoveTotpDocument,
    "\n  mutation StartPasskeyRegistration { startPasskeyRegistration { __typename ... on PasskeyRegistration { options } ... on Error { message } } }\n": types.StartPasskeyRegistrationDocument,
    "\n  mutation FinishPasskeyRegistration($response: String!, $name: String) {\n    finishPasskeyRegistration(response: $response, name: $name) { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } }\n  }\n": types.FinishPasskeyRegistrationDocument,
    "mutation RemovePasskey($id: ID!) { removePasskey(id: $id) { __typename ... on SecondFactorSettings { totpEnabled } ... on Error { message } } }": types.RemovePasskeyDocument,
    "\n  mutation RegenerateRecoveryCodes { regenerateRecoveryCodes { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } } }\n": types.RegenerateRecoveryCodesDocument,
    "\n  mutation SetupAdministrator($input: SetupAdministratorInput!) {\n    setupAdministrator(input: $input) {\n      __typename\n      ... on User { id }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.SetupAdministratorDocument,
    "\n  query FirstRun {\n    hosts { id }\n    images(first: 1, filter: { status: READY }) { edges { node { id } } }\n    vms(first: 1) { edges { node { id } } }\n  }\n": types.FirstRunDocument,
    "subscription FirstRunImages { imagesUpdated { id } }": types.FirstRunImagesDocument,
    "subscription FirstRunVms { vmsUpdated { id } }": types.FirstRunVmsDocument,
    "\n  mutation UpdateHostSettings($id: ID!, $input: UpdateHostInput!) {\n    updateHost(id: $id, input: $input) {\n      __typename\n      ... on Host { ...HostFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.UpdateHostSettingsDocument,
    "\n  mutation DrainHost($id: ID!, $input: SetHostMaintenanceInput!) {\n    setHostMaintenance(id: $id, input: $input) {\n      __typename\n      ... on SetHostMaintenancePayload { host { ...HostFields } task { id } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.DrainHostDocument,
    "\n  fragment ImageRow on Image {\n    id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes\n    visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256\n    owner { id name }\n    sharedWith { id name }\n  }\n": types.ImageRowFragmentDoc,
    "\n  query Images($filter: ImageFilter) {\n    images(filter: $filter, first: 40) {\n      edges {\n        node {\n          id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes\n          visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256\n          owner { id name }\n          sharedWith { id name }\n        }\n      }\n    }\n  }\n": types.ImagesDocument,
    "\n  subscription ImagesUpdated { imagesUpdated { id image { ...ImageRow } } }\n": types.ImagesUpdatedDocument,
    "\n  mutation UploadImage($input: ImageInput!, $file: Upload!) {\n    uploadImage(input: $input, file: $file) {\n      __typename\n      ... on Image { id name status }\n      ... on ImageRejectedError { reason }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.UploadImageDocument,
    "\n  mutation ImportImage($input: ImageInput!, $url: String!) {\n    importImage(input: $input, url: $url) {\n      __typename\n      ... on ImportImagePayload { image { id name status } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.ImportImageDocument,
    "\n  mutation ShareImage($id: ID!, $visibility: ImageVisibility!, $userIds: [ID!]) {\n    shareImage(id: $id, visibility: $visibility, userIds: $userIds) {\n      __typename\n      ... on Image { id visibility sharedWith { id name } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.ShareImageDocument,
    "\n  mutation DeleteImage($id: ID!) {\n    deleteImage(id: $id) { __typename ... on Image { id } ... on Error { message } }\n  }\n": types.DeleteImageDocument,
    "\n  query ShareCandidates { users(first: 100) { edges { node { id name email } } } }\n": types.ShareCandidatesDocument,
    "\n  query CaptureVms { vms(first: 100) { edges { node { id name state image { id } } } } }\n": types.CaptureVmsDocument,
    "\n  query RepositoryImages {\n    repositoryImages {\n      id product version name osFamily osVersion arch defaultUser minDiskGb minMemoryMb sizeBytes checksumAlgorithm\n      installed updateAvailable versionSeenAt\n      repository { id name }\n      image { id status }\n      installFailure { reason message }\n      installTask { ...TaskFields }\n    }\n  }\n": types.RepositoryImagesDocument,
    "\n  query ImageRepositories {\n    imageRepositories { id name url builtin signed enabled refreshedAt refreshFailure { reason message } }\n  }\n": types.ImageRepositoriesDocument,
    "\n  mutation InstallRepositoryImage($id: ID!) {\n    installRepositoryImage(id: $id) {\n      __typename\n      ... on InstallRepositoryImagePayload { image { id name status } task { ...TaskFields } }\n      ... on Error { message }\n    }\n  }\n": types.InstallRepositoryImageDocument,
    "\n  mutation AddImageRepository($name: String!, $url: String!, $signingKey: String) {\n    addImageRepository(name: $name, url: $url, signingKey: $signingKey) {\n      __typename\n      ... on RefreshImageRepositoryPayload { added updated repository { id name } }\n      ... on RepositoryIndexError { reason }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.AddImageRepositoryDocument,
    "\n  mutation RefreshImageRepository($id: ID!) {\n    refreshImageRepository(id: $id) {\n      __typename\n      ... on RefreshImageRepositoryPayload { added updated }\n      ... on RepositoryIndexError { reason }\n      ... on Error { message }\n    }\n  }\n": types.RefreshImageRepositoryDocument,
    "\n  mutation SetImageRepositoryEnabled($id: ID!, $enabled: Boolean!) {\n    setImageRepositoryEnabled(id: $id, enabled: $enabled) { __typename ... on ImageRepository { id enabled } ... on Error { message } }\n  }\n": types.SetImageRepositoryEnabledDocument,
    "subscription RepositoryImagesChanged { imagesUpdated { id } }": types.RepositoryImagesChangedDocument,
    "\n  fragment AuditEntryFields on AuditEntry { id at action result requestId target { type id name exists } actorName address detail actor { id name } }\n": types.AuditEntryFieldsFragmentDoc,
    "\n  query AuditLog($filter: AuditFilter, $after: String) {\n    auditLog(filter: $filter, first: 25, after: $after) {\n      edges { node { ...AuditEntryFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query AuditActions { auditActions }\n": types.AuditActionsDocument,
    "\n  subscription AuditAdded { auditEntryAdded { ...AuditEntryFields } }\n": types.AuditAddedDocument,
    "\n  query BackupTargets { backupTargets { id name shared pool path createdAt host { id name } } }\n": types.BackupTargetsDocument,
    "\n  query BackupTargetHosts { hosts { id name } }\n": types.BackupTargetHostsDocument,
    "\n  mutation CreateBackupTarget($input: CreateBackupTargetInput!) {\n    createBackupTarget(input: $input) {\n      __typename\n      ... on BackupTarget { id }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateBackupTargetDocument,
    "\n  mutation DeleteBackupTarget($id: ID!) { deleteBackupTarget(id: $id) { __typename ... on BackupTarget { id } ... on Error { message } } }\n": types.DeleteBackupTargetDocument,
    "\n  query ClusterMetricsHistory($from: DateTime!) {\n    clusterMetricsHistory(from: $from) { resolutionSeconds times series { name avg } }\n  }\n": types.ClusterMetricsHistoryDocument,
    "\n  subscription ClusterMetricsLive { clusterMetrics { at cpuPercent memoryUsedBytes memoryTotalBytes } }\n": types.ClusterMetricsLiveDocument,
    "\n  query Dashboard($withHosts: Boolean!) {\n    vms(first: 100) { edges { node { id name state vcpus memoryMb diskGb } } pageInfo { hasNextPage } }\n    hosts @include(if: $withHosts) {\n      id name status maintenance\n      allocation { vcpus memoryMb diskGb vms }\n      capacity { cpus cpuOvercommit vcpus memoryMb memoryOvercommit allocatableMemoryMb }\n    }\n    tasks(first: 5) { edges { node { ...TaskFields } } }\n  }\n": types.DashboardDocument,
    "\n  subscription DashboardHost { hostUpdated { id status maintenance allocation { vcpus memoryMb diskGb vms } } }\n": types.DashboardHostDocument,
    "\n  subscription DashboardVm { vmsUpdated { id state } }\n": types.DashboardVmDocument,
    "\n  subscription ClusterMetrics {\n    clusterMetrics {\n      at hostsUp hostsTotal vmsByState { state count }\n      vcpusAllocated memoryAllocatedBytes diskAllocatedBytes\n      cpuPercent memoryUsedBytes memoryTotalBytes memoryAllocatableBytes vcpusTotal\n      busiestVms { vmId at cpuPercent memoryUsedBytes netRxBytesPerSecond netTxBytesPerSecond diskReadBytesPerSecond diskWriteBytesPerSecond }\n    }\n  }\n": types.ClusterMetricsDocument,
    "\n  query HostDetail($id: ID!) {\n    node(id: $id) { ... on Host { ...HostFields createdAt libvirtNetworks lastDrain { ...TaskFields } } }\n    vms(filter: { hostId: $id }, first: 25) { edges { node { id name state vcpus memoryMb diskGb owner { id name } } } pageInfo { hasNextPage } }\n  }\n": types.HostDetailDocument,
    "\n  mutation RefreshHost($id: ID!) { refreshHost(id: $id) { __typename ... on Host { ...HostFields } ... on Error { message } } }\n": types.RefreshHostDocument,
    "\n  mutation RemoveHost($id: ID!) { removeHost(id: $id) { __typename ... on Host { id } ... on Error { message } } }\n": types.RemoveHostDocument,
    "\n  mutation CreateIpPool($input: CreateIpPoolInput!) {\n    createIpPool(input: $input) {\n      __typename\n      ... on IpPool { id }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateIpPoolDocument,
    "\n  mutation DeleteIpPool($id: ID!) { deleteIpPool(id: $id) { __typename ... on IpPool { id } ... on Error { message } } }\n": types.DeleteIpPoolDocument,
    "\n  query HostMetricsHistory($id: ID!, $from: DateTime!) {\n    node(id: $id) { ... on Host { metrics(from: $from) { resolutionSeconds times series { name avg } } } }\n  }\n": types.HostMetricsHistoryDocument,
    "\n  subscription HostMetricsLive($id: ID!) {\n    hostMetrics(id: $id) { hostId at cpuPercent memoryUsedBytes memoryTotalBytes diskReadBytesPerSecond diskWriteBytesPerSecond netRxBytesPerSecond netTxBytesPerSecond vmsRunning }\n  }\n": types.HostMetricsLiveDocument,
    "\n  fragment HostFields on Host {\n    id name uri status statusMessage maintenance domainType domainTypeReason lastSeenAt\n    capabilities { cpus memoryMb cpuModel arch nested libvirtVersion hypervisorVersion }\n    allocation { vcpus memoryMb diskGb vms }\n    capacity { cpus cpuOvercommit vcpus memoryMb memoryOvercommit allocatableMemoryMb }\n    settings { cpuOvercommit memoryOvercommit concurrency diskPool imagePool vncListen network { kind name } }\n    ipPools { id name cidr gateway rangeStart rangeEnd size used dns }\n  }\n": types.HostFieldsFragmentDoc,
    "\n  query Hosts { hosts { ...HostFields } }\n": types.HostsDocument,
    "\n  subscription HostUpdated { hostUpdated { ...HostFields } }\n": types.HostUpdatedDocument,
    "\n  mutation AddHost($input: AddHostInput!) {\n    addHost(input: $input) {\n      __typename\n      ... on Host { ...HostFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.AddHostDocument,
    "\n  mutation SetHostMaintenance($id: ID!, $maintenance: Boolean!) {\n    updateHost(id: $id, input: { maintenance: $maintenance }) {\n      __typename\n      ... on Host { ...HostFields }\n      ... on Error { message }\n    }\n  }\n": types.SetHostMaintenanceDocument,
    "\n  query Profile {\n    me {\n      id name email privileges createdAt\n      roles { id name }\n      quota { maxVcpus maxMemoryMb maxDiskGb maxVms }\n      apiTokens { id name privileges createdAt expiresAt revokedAt }\n    }\n  }\n": types.ProfileDocument,
    "\n  mutation UpdateMe($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { __typename ... on User { id name email } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.UpdateMeDocument,
    "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.ChangePasswordDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreatedApiToken { secret token { id name } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { __typename ... on ApiToken { id } ... on Error { message } } }\n": types.RevokeApiTokenDocument,
    "\n  query Roles {\n    roles(first: 100) { edges { node { id name description builtIn requiresSecondFactor privileges } } }\n    privileges { privilege description }\n  }\n": types.RolesDocument,
    "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) { __typename ... on Role { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.CreateRoleDocument,
    "\n  mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {\n    updateRole(id: $id, input: $input) { __typename ... on Role { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.UpdateRoleDocument,
    "\n  mutation SetRoleRequiresSecondFactor($id: ID!, $required: Boolean!) {\n    setRoleRequiresSecondFactor(id: $id, required: $required) { __typename ... on Role { id requiresSecondFactor } ... on Error { message } }\n  }\n": types.SetRoleRequiresSecondFactorDocument,
    "\n  mutation DeleteRole($id: ID!) { deleteRole(id: $id) { __typename ... on Role { id } ... on Error { message } } }\n": types.DeleteRoleDocument,
    "\n  query OidcProviders {\n    oidcProviders {\n      id name issuer clientId scopes usernameClaim emailClaim nameClaim groupsClaim createUsers enabled callbackUrl\n      groupRoles { group role { id name } }\n    }\n    roles(first: 200) { edges { node { id name } } }\n  }\n": types.OidcProvidersDocument,
    "\n  mutation AddOidcProvider($input: AddOidcProviderInput!) {\n    addOidcProvider(input: $input) { __typename ... on OidcProvider { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.AddOidcProviderDocument,
    "\n  mutation UpdateOidcProvider($id: ID!, $input: UpdateOidcProviderInput!) {\n    updateOidcProvider(id: $id, input: $input) { __typename ... on OidcProvider { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.UpdateOidcProviderDocument,
    "\n  mutation DeleteOidcProvider($id: ID!) { deleteOidcProvider(id: $id) { __typename ... on OidcProvider { id } ... on Error { message } } }\n": types.DeleteOidcProviderDocument,
    "\n  query Tasks($filter: TaskFilter) { tasks(filter: $filter, first: 15) { edges { node { ...TaskFields } } } }\n": types.TasksDocument,
    "\n  fragment UserRow on User { id name email disabled createdAt secondFactorMethods roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms maxSnapshotsPerVm } }\n": types.UserRowFragmentDoc,
    "\n  query Users($filter: UserFilter) {\n    users(filter: $filter, first: 36) {\n      edges { node { id name email disabled createdAt secondFactorMethods roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms maxSnapshotsPerVm } } }\n    }\n    roles(first: 100) { edges { node { id name builtIn } } }\n  }\n": types.UsersDocument,
    "\n  subscription UsersUpdated { usersUpdated { ...UserRow } }\n": types.UsersUpdatedDocument,
    "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.CreateUserDocument,
    "\n  mutation SetUserRoles($id: ID!, $roleIds: [ID!]!) {\n    setUserRoles(id: $id, roleIds: $roleIds) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.SetUserRolesDocument,
    "\n  mutation SetQuota($userId: ID!, $input: QuotaInput!) {\n    setQuota(userId: $userId, input: $input) { __typename ... on Quota { maxVms } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.SetQuotaDocument,
    "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.UpdateUserDocument,
    "\n  mutation SetUserPassword($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n": types.SetUserPasswordDocument,
    "\n  mutation DisableUser($id: ID!) { disableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }\n": types.DisableUserDocument,
    "\n  mutation ClearSecondFactors($id: ID!) { clearSecondFactors(id: $id) { __typename ... on User { id } ... on Error { message } } }\n": types.ClearSecondFactorsDocument,
    "\n  mutation EnableUser($id: ID!) { enableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }\n": types.EnableUserDocument,
    "\n  query CreateVmOptions($withHosts: Boolean!) {\n    images(filter: { status: READY }, first: 50) {\n      edges { node { id name osFamily osVersion minDiskGb minMemoryMb cloudInit defaultUser virtualSizeBytes visibility } }\n    }\n    hosts @include(if: $withHosts) { id name status maintenance capabilities { cpus memoryMb } allocation { vcpus memoryMb } }\n    me { id quota { maxVcpus maxMemoryMb maxDiskGb maxVms } quotaUsage { vms vcpus memoryMb diskGb } }\n  }\n": types.CreateVmOptionsDocument,
    "\n  mutation CreateVm($input: CreateVmInput!) {\n    createVm(input: $input) {\n      __typename\n      ... on VmTaskPayload { vm { id name state } task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateVmDocument,
    "\n  fragment VmDetailFields on Vm {\n    ...VmSummary\n    description\n    isoPath\n    network { kind name macAddress addressing pool addresses }\n    guest { hostname username timezone sshKeys hasPassword fullCopy firstBootScript }\n    image { id name osFamily osVersion }\n    actions { action allowed reason }\n  }\n": types.VmDetailFieldsFragmentDoc,
    "\n  query VmDetail($id: ID!) {\n    node(id: $id) { ... on Vm { ...VmDetailFields } }\n    tasks(filter: { vmId: $id }, first: 10) { edges { node { ...TaskFields } } }\n  }\n": types.VmDetailDocument,
    "\n  subscription VmUpdated($id: ID!) { vmUpdated(id: $id) { ...VmDetailFields } }\n": types.VmUpdatedDocument,
    "\n  query VmList($filter: VmFilter, $after: String) {\n    vms(filter: $filter, first: 20, after: $after) {\n      edges { node { ...VmSummary actions { action allowed reason } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n": types.VmListDocument,
    "\n  subscription VmListUpdated { vmsUpdated { ...VmSummary actions { action allowed reason } } }\n": types.VmListUpdatedDocument,
    "\n  query VmListMetrics($ids: [ID!]!) { nodes(ids: $ids) { ... on Vm { id latestMetrics { at cpuPercent memoryUsedBytes } } } }\n": types.VmListMetricsDocument,
    "\n  fragment ScheduleFields on BackupSchedule {\n    id name cron timezone enabled chainCap tag\n    vms { id }\n    target { id name }\n    retention { keepLast keepDaily keepWeekly keepMonthly }\n    nextRuns(count: 3)\n    lastRun { startedAt finishedAt skipped prunedCount vms { vmId vmName status reason } }\n  }\n": types.ScheduleFieldsFragmentDoc,
    "\n  query VmBackupSchedules($id: ID!) {\n    node(id: $id) { ... on Vm { id tags } }\n    backupSchedules { ...ScheduleFields }\n    backupTargets { id name }\n  }\n": types.VmBackupSchedulesDocument,
    "\n  mutation CreateBackupSchedule($input: BackupScheduleInput!) {\n    createBackupSchedule(input: $input) {\n      __typename\n      ... on BackupSchedule { ...ScheduleFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateBackupScheduleDocument,
    "\n  mutation UpdateBackupSchedule($id: ID!, $input: BackupScheduleInput!) {\n    updateBackupSchedule(id: $id, input: $input) {\n      __typename\n      ... on BackupSchedule { ...ScheduleFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.UpdateBackupScheduleDocument,
    "\n  mutation DeleteBackupSchedule($id: ID!) { deleteBackupSchedule(id: $id) { __typename ... on Error { message } } }\n": types.DeleteBackupScheduleDocument,
    "\n  mutation RunBackupScheduleNow($id: ID!) { runBackupScheduleNow(id: $id) { __typename ... on Error { message } } }\n": types.RunBackupScheduleNowDocument,
    "\n  query BackupRetentionPreview($vmId: ID!, $targetId: ID!, $retention: BackupRetentionInput!, $timezone: String, $scheduleId: ID) {\n    backupRetentionPreview(vmId: $vmId, targetId: $targetId, retention: $retention, timezone: $timezone, scheduleId: $scheduleId) {\n      __typename\n      ... on QueryBackupRetentionPreviewSuccess { data { keep reason backup { id kind createdAt } } }\n      ... on Error { message }\n    }\n  }\n": types.BackupRetentionPreviewDocument,
    "\n  fragment BackupFields on Backup {\n    id kind status reason error chainLength sizeBytes readBytes createdAt finishedAt vmName\n    parent { id createdAt }\n    target { id name }\n    disks { target virtualSizeBytes }\n  }\n": types.BackupFieldsFragmentDoc,
    "\n  query VmBackups($id: ID!) {\n    node(id: $id) { ... on Vm { id backups { ...BackupFields } } }\n    backupTargets { id name shared }\n  }\n": types.VmBackupsDocument,
    "\n  mutation BackupVm($vmId: ID!, $targetId: ID!) {\n    backupVm(vmId: $vmId, targetId: $targetId) {\n      __typename\n      ... on BackupTaskPayload { backup { ...BackupFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.BackupVmDocument,
    "\n  mutation RestoreBackup($id: ID!, $input: RestoreBackupInput!) {\n    restoreBackup(id: $id, input: $input) {\n      __typename\n      ... on RestoreBackupPayload { vm { id name } task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.RestoreBackupDocument,
    "\n  mutation DeleteBackup($id: ID!, $withDependents: Boolean) {\n    deleteBackup(id: $id, withDependents: $withDependents) {\n      __typename\n      ... on DeleteBackupPayload { deletedIds }\n      ... on Error { message }\n    }\n  }\n": types.DeleteBackupDocument,
    "\n  query VmDisks($id: ID!) {\n    node(id: $id) {\n      ... on Vm {\n        id\n        disks { id boot bootOrder target bus pool volume sizeGb allocationBytes ioLimits { totalBytesSec readBytesSec writeBytesSec totalIopsSec readIopsSec writeIopsSec } }\n      }\n    }\n  }\n": types.VmDisksDocument,
    "\n  mutation AttachDisk($vmId: ID!, $input: AttachDiskInput!) {\n    attachDisk(vmId: $vmId, input: $input) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.AttachDiskDocument,
    "\n  mutation DetachDisk($vmId: ID!, $diskId: ID!, $deleteVolume: Boolean) {\n    detachDisk(vmId: $vmId, diskId: $diskId, deleteVolume: $deleteVolume) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.DetachDiskDocument,
    "\n  mutation ResizeDisk($vmId: ID!, $diskId: ID!, $sizeGiB: Int!) {\n    resizeDisk(vmId: $vmId, diskId: $diskId, sizeGiB: $sizeGiB) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.ResizeDiskDocument,
    "\n  mutation SetDiskIoLimits($vmId: ID!, $diskId: ID!, $limits: DiskIoLimitsInput!) {\n    setDiskIoLimits(vmId: $vmId, diskId: $diskId, limits: $limits) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.SetDiskIoLimitsDocument,
    "\n  fragment VmSnapshotFields on VmSnapshot {\n    id\n    name\n    description\n    status\n    isCurrent\n    includesMemory\n    quiesced\n    sizeBytes\n    createdAt\n    createdBy { id name }\n    parent { id }\n  }\n": types.VmSnapshotFieldsFragmentDoc,
    "\n  query VmSnapshots($id: ID!) { node(id: $id) { ... on Vm { id snapshots { ...VmSnapshotFields } } } }\n": types.VmSnapshotsDocument,
    "\n  mutation CreateSnapshot($vmId: ID!, $input: CreateSnapshotInput!) {\n    createSnapshot(vmId: $vmId, input: $input) {\n      __typename\n      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CreateSnapshotDocument,
    "\n  mutation RevertToSnapshot($id: ID!) {\n    revertToSnapshot(id: $id) {\n      __typename\n      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.RevertToSnapshotDocument,
    "\n  mutation DeleteSnapshot($id: ID!) {\n    deleteSnapshot(id: $id) {\n      __typename\n      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.DeleteSnapshotDocument,
    "\n  query Task($id: ID!) { node(id: $id) { ... on Task { ...TaskFields } } }\n": types.TaskDocument,
    "\n  query TaskLog($id: ID!) { node(id: $id) { ... on Task { id log { at line warning } } } }\n": types.TaskLogDocument,
    "\n  mutation CancelTask($id: ID!) { cancelTask(id: $id) { __typename ... on CancelTaskPayload { task { ...TaskFields } } ... on Error { message } } }\n": types.CancelTaskDocument,
    "\n  query CloneHosts { hosts { id name status maintenance } }\n": types.CloneHostsDocument,
    "\n  mutation CloneVm($id: ID!, $input: CloneVmInput!) {\n    cloneVm(id: $id, input: $input) {\n      __typename\n      ... on VmTaskPayload { vm { id } task { id } }\n      ... on QuotaExceededError { resource }\n      ... on NoCapacityError { message }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CloneVmDocument,
    "\n  mutation UpdateVmDetails($id: ID!, $input: UpdateVmDetailsInput!) {\n    updateVmDetails(id: $id, input: $input) {\n      __typename\n      ... on Vm { ...VmSummary description }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.UpdateVmDetailsDocument,
    "\n  query VmHardware($id: ID!) {\n    node(id: $id) {\n      ... on Vm {\n        id\n        bootOrder\n        bootOnce\n        isoPath\n        cdrom { id name }\n        interfaces { id position macAddress kind network address pool guestAddresses bandwidth { inbound { average peak burst } outbound { average peak burst } } }\n        host { id ipPools { id name } libvirtNetworks }\n      }\n    }\n    images(filter: { kind: ISO, status: READY }, first: 200) { edges { node { id name } } }\n  }\n": types.VmHardwareDocument,
    "\n  mutation AttachVmInterface($vmId: ID!, $input: AttachVmInterfaceInput!) {\n    attachVmInterface(vmId: $vmId, input: $input) {\n      __typename\n      ... on VmInterfacePayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.AttachVmInterfaceDocument,
    "\n  mutation DetachVmInterface($vmId: ID!, $interfaceId: ID!) {\n    detachVmInterface(vmId: $vmId, interfaceId: $interfaceId) {\n      __typename\n      ... on VmTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n    }\n  }\n": types.DetachVmInterfaceDocument,
    "\n  mutation SetVmInterfaceBandwidth($vmId: ID!, $interfaceId: ID!, $input: InterfaceBandwidthInput!) {\n    setVmInterfaceBandwidth(vmId: $vmId, interfaceId: $interfaceId, input: $input) {\n      __typename\n      ... on VmInterfacePayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.SetVmInterfaceBandwidthDocument,
    "\n  mutation SetVmMedia($vmId: ID!, $imageId: ID) {\n    setVmMedia(vmId: $vmId, imageId: $imageId) {\n      __typename\n      ... on VmTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.SetVmMediaDocument,
    "\n  mutation SetVmBoot($vmId: ID!, $order: [BootDevice!]!, $once: Boolean) {\n    setVmBoot(vmId: $vmId, order: $order, once: $once) {\n      __typename\n      ... on VmTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.SetVmBootDocument,
    "\n  query VmMetricsHistory($id: ID!, $from: DateTime!, $to: DateTime) {\n    node(id: $id) { ... on Vm { metrics(from: $from, to: $to) { resolutionSeconds times series { name avg } } } }\n  }\n": types.VmMetricsHistoryDocument,
    "\n  subscription VmMetricsLive($id: ID!) {\n    vmMetrics(id: $id) {\n      vmId at cpuPercent memoryUsedBytes memoryAvailableBytes\n      diskReadBytesPerSecond diskWriteBytesPerSecond netRxBytesPerSecond netTxBytesPerSecond\n    }\n  }\n": types.VmMetricsLiveDocument,
    "\n  query TransferRecipients { users(first: 200, filter: { disabled: false }) { edges { node { id name email } } } }\n": types.TransferRecipientsDocument,
    "\n  mutation TransferVm($vmId: ID!, $toUserId: ID!) {\n    transferVm(vmId: $vmId, toUserId: $toUserId) {\n      __typename\n      ... on TransferVmPayload { vm { ...VmSummary } newOwner { id name } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.TransferVmDocument,
    "\n  query MigrateTargets { hosts { id name status maintenance capacity { vcpus allocatableMemoryMb } allocation { vcpus memoryMb } } }\n": types.MigrateTargetsDocument,
    "\n  mutation MigrateVm($id: ID!, $input: MigrateVmInput) {\n    migrateVm(id: $id, input: $input) {\n      __typename\n      ... on MigrateVmPayload { reason vm { ...VmSummary } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.MigrateVmDocument,
    "\n  mutation ResetVmPassword($id: ID!, $password: String!) {\n    resetVmPassword(id: $id, password: $password) {\n      __typename\n      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.ResetVmPasswordDocument,
    "\n  mutation ReinstallVm($id: ID!, $imageId: ID, $guest: GuestInput) {\n    reinstallVm(id: $id, imageId: $imageId, guest: $guest) {\n      __typename\n      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.ReinstallVmDocument,
    "\n  query ReinstallImages { images(filter: { status: READY }, first: 100) { edges { node { id name } } } }\n": types.ReinstallImagesDocument,
    "\n  mutation ResizeVm($id: ID!, $input: ResizeVmInput!) {\n    resizeVm(id: $id, input: $input) {\n      __typename\n      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.ResizeVmDocument,
    "\n  mutation CreateConsoleTicket($vmId: ID!) {\n    createConsoleTicket(vmId: $vmId) {\n      __typename\n      ... on ConsoleTicket { ticket expiresAt path }\n      ... on Error { message }\n    }\n  }\n": types.CreateConsoleTicketDocument,
    "\n  fragment VmSummary on Vm {\n    id\n    name\n    tags\n    state\n    stateMessage\n    vcpus\n    memoryMb\n    diskGb\n    ipAddress\n    updatedAt\n    createdAt\n    host { id name }\n    owner { id name }\n    image { id name }\n  }\n": types.VmSummaryFragmentDoc,
    "\n  fragment TaskFields on Task {\n    id\n    operation\n    status\n    error\n    requestId\n    createdAt\n    startedAt\n    finishedAt\n    user { id name }\n    vm { id name }\n    steps { name state progress message position startedAt finishedAt }\n    warnings\n    cancelRequested\n    canCancel\n  }\n": types.TaskFieldsFragmentDoc,
    "\n  subscription TaskUpdated($id: ID!) { taskUpdated(id: $id) { ...TaskFields } }\n": types.TaskUpdatedDocument,
    "\n  subscription TasksUpdated { tasksUpdated { ...TaskFields } }\n": types.TasksUpdatedDocument,
    "\n  subscription VmsUpdated { vmsUpdated { ...VmSummary } }\n": types.VmsUpdatedDocument,
    "\n  mutation CaptureImage($vmId: ID!, $name: String!) {\n    captureImage(vmId: $vmId, name: $name) {\n      __typename\n      ... on CaptureImagePayload { image { id name status } task { ...TaskFields } vm { ...VmSummary } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n": types.CaptureImageDocument,
    "\n  mutation StartVm($id: ID!) { startVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": types.StartVmDocument,
    "\n  mutation ShutdownVm($id: ID!) { shutdownVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": types.ShutdownVmDocument,
    "\n  mutation StopVm($id: ID!) { stopVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": types.StopVmDocument,
    "\n  mutation RebootVm($id: ID!) { rebootVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": types.RebootVmDocument,
    "\n  mutation ResetVm($id: ID!) { resetVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": types.ResetVmDocument,
    "\n  mutation SuspendVm($id: ID!) { suspendVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": types.SuspendVmDocument,
    "\n  mutation ResumeVm($id: ID!) { resumeVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": types.ResumeVmDocument,
    "\n  mutation DeleteVm($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n": types.DeleteVmDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Bootstrap {\n    me { id email name privileges roles { name } }\n    setupRequired\n    secondFactorEnrolmentRequired\n  }\n"): typeof import('./graphql').BootstrapDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation Logout { logout }"): typeof import('./graphql').LogoutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription MeUpdated($id: ID!) { userUpdated(id: $id) { id name email privileges } }\n"): typeof import('./graphql').MeUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($input: LoginInput!) {\n    login(input: $input) {\n      __typename\n      ... on LoginSuccess { user { id email name } }\n      ... on SecondFactorRequired { token methods passkeyOptions }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').LoginDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation VerifySecondFactor($input: VerifySecondFactorInput!) {\n    verifySecondFactor(input: $input) {\n      __typename\n      ... on LoginSuccess { user { id } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').VerifySecondFactorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInProviders { signInProviders { id name startUrl } }\n"): typeof import('./graphql').SignInProvidersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MySecondFactor {\n    mySecondFactor { totpEnabled recoveryCodesLeft required enrolmentRequired passkeys { id name createdAt lastUsedAt } }\n  }\n"): typeof import('./graphql').MySecondFactorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartTotpEnrolment { startTotpEnrolment { __typename ... on TotpEnrolment { secret uri } ... on Error { message } } }\n"): typeof import('./graphql').StartTotpEnrolmentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ConfirmTotpEnrolment($code: String!) {\n    confirmTotpEnrolment(code: $code) { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').ConfirmTotpEnrolmentDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemoveTotp { removeTotp { __typename ... on SecondFactorSettings { totpEnabled } ... on Error { message } } }"): typeof import('./graphql').RemoveTotpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartPasskeyRegistration { startPasskeyRegistration { __typename ... on PasskeyRegistration { options } ... on Error { message } } }\n"): typeof import('./graphql').StartPasskeyRegistrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation FinishPasskeyRegistration($response: String!, $name: String) {\n    finishPasskeyRegistration(response: $response, name: $name) { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } }\n  }\n"): typeof import('./graphql').FinishPasskeyRegistrationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "mutation RemovePasskey($id: ID!) { removePasskey(id: $id) { __typename ... on SecondFactorSettings { totpEnabled } ... on Error { message } } }"): typeof import('./graphql').RemovePasskeyDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RegenerateRecoveryCodes { regenerateRecoveryCodes { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } } }\n"): typeof import('./graphql').RegenerateRecoveryCodesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetupAdministrator($input: SetupAdministratorInput!) {\n    setupAdministrator(input: $input) {\n      __typename\n      ... on User { id }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').SetupAdministratorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query FirstRun {\n    hosts { id }\n    images(first: 1, filter: { status: READY }) { edges { node { id } } }\n    vms(first: 1) { edges { node { id } } }\n  }\n"): typeof import('./graphql').FirstRunDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription FirstRunImages { imagesUpdated { id } }"): typeof import('./graphql').FirstRunImagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription FirstRunVms { vmsUpdated { id } }"): typeof import('./graphql').FirstRunVmsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateHostSettings($id: ID!, $input: UpdateHostInput!) {\n    updateHost(id: $id, input: $input) {\n      __typename\n      ... on Host { ...HostFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').UpdateHostSettingsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DrainHost($id: ID!, $input: SetHostMaintenanceInput!) {\n    setHostMaintenance(id: $id, input: $input) {\n      __typename\n      ... on SetHostMaintenancePayload { host { ...HostFields } task { id } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').DrainHostDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ImageRow on Image {\n    id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes\n    visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256\n    owner { id name }\n    sharedWith { id name }\n  }\n"): typeof import('./graphql').ImageRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Images($filter: ImageFilter) {\n    images(filter: $filter, first: 40) {\n      edges {\n        node {\n          id name osFamily osVersion status statusMessage format fileSizeBytes virtualSizeBytes\n          visibility cloudInit defaultUser minDiskGb minMemoryMb source createdAt sha256\n          owner { id name }\n          sharedWith { id name }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ImagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ImagesUpdated { imagesUpdated { id image { ...ImageRow } } }\n"): typeof import('./graphql').ImagesUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadImage($input: ImageInput!, $file: Upload!) {\n    uploadImage(input: $input, file: $file) {\n      __typename\n      ... on Image { id name status }\n      ... on ImageRejectedError { reason }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').UploadImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ImportImage($input: ImageInput!, $url: String!) {\n    importImage(input: $input, url: $url) {\n      __typename\n      ... on ImportImagePayload { image { id name status } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').ImportImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShareImage($id: ID!, $visibility: ImageVisibility!, $userIds: [ID!]) {\n    shareImage(id: $id, visibility: $visibility, userIds: $userIds) {\n      __typename\n      ... on Image { id visibility sharedWith { id name } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').ShareImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteImage($id: ID!) {\n    deleteImage(id: $id) { __typename ... on Image { id } ... on Error { message } }\n  }\n"): typeof import('./graphql').DeleteImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ShareCandidates { users(first: 100) { edges { node { id name email } } } }\n"): typeof import('./graphql').ShareCandidatesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CaptureVms { vms(first: 100) { edges { node { id name state image { id } } } } }\n"): typeof import('./graphql').CaptureVmsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RepositoryImages {\n    repositoryImages {\n      id product version name osFamily osVersion arch defaultUser minDiskGb minMemoryMb sizeBytes checksumAlgorithm\n      installed updateAvailable versionSeenAt\n      repository { id name }\n      image { id status }\n      installFailure { reason message }\n      installTask { ...TaskFields }\n    }\n  }\n"): typeof import('./graphql').RepositoryImagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ImageRepositories {\n    imageRepositories { id name url builtin signed enabled refreshedAt refreshFailure { reason message } }\n  }\n"): typeof import('./graphql').ImageRepositoriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InstallRepositoryImage($id: ID!) {\n    installRepositoryImage(id: $id) {\n      __typename\n      ... on InstallRepositoryImagePayload { image { id name status } task { ...TaskFields } }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql').InstallRepositoryImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddImageRepository($name: String!, $url: String!, $signingKey: String) {\n    addImageRepository(name: $name, url: $url, signingKey: $signingKey) {\n      __typename\n      ... on RefreshImageRepositoryPayload { added updated repository { id name } }\n      ... on RepositoryIndexError { reason }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').AddImageRepositoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshImageRepository($id: ID!) {\n    refreshImageRepository(id: $id) {\n      __typename\n      ... on RefreshImageRepositoryPayload { added updated }\n      ... on RepositoryIndexError { reason }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql').RefreshImageRepositoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetImageRepositoryEnabled($id: ID!, $enabled: Boolean!) {\n    setImageRepositoryEnabled(id: $id, enabled: $enabled) { __typename ... on ImageRepository { id enabled } ... on Error { message } }\n  }\n"): typeof import('./graphql').SetImageRepositoryEnabledDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "subscription RepositoryImagesChanged { imagesUpdated { id } }"): typeof import('./graphql').RepositoryImagesChangedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditEntryFields on AuditEntry { id at action result requestId target { type id name exists } actorName address detail actor { id name } }\n"): typeof import('./graphql').AuditEntryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($filter: AuditFilter, $after: String) {\n    auditLog(filter: $filter, first: 25, after: $after) {\n      edges { node { ...AuditEntryFields } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').AuditLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditActions { auditActions }\n"): typeof import('./graphql').AuditActionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AuditAdded { auditEntryAdded { ...AuditEntryFields } }\n"): typeof import('./graphql').AuditAddedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackupTargets { backupTargets { id name shared pool path createdAt host { id name } } }\n"): typeof import('./graphql').BackupTargetsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackupTargetHosts { hosts { id name } }\n"): typeof import('./graphql').BackupTargetHostsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateBackupTarget($input: CreateBackupTargetInput!) {\n    createBackupTarget(input: $input) {\n      __typename\n      ... on BackupTarget { id }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').CreateBackupTargetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteBackupTarget($id: ID!) { deleteBackupTarget(id: $id) { __typename ... on BackupTarget { id } ... on Error { message } } }\n"): typeof import('./graphql').DeleteBackupTargetDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ClusterMetricsHistory($from: DateTime!) {\n    clusterMetricsHistory(from: $from) { resolutionSeconds times series { name avg } }\n  }\n"): typeof import('./graphql').ClusterMetricsHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ClusterMetricsLive { clusterMetrics { at cpuPercent memoryUsedBytes memoryTotalBytes } }\n"): typeof import('./graphql').ClusterMetricsLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard($withHosts: Boolean!) {\n    vms(first: 100) { edges { node { id name state vcpus memoryMb diskGb } } pageInfo { hasNextPage } }\n    hosts @include(if: $withHosts) {\n      id name status maintenance\n      allocation { vcpus memoryMb diskGb vms }\n      capacity { cpus cpuOvercommit vcpus memoryMb memoryOvercommit allocatableMemoryMb }\n    }\n    tasks(first: 5) { edges { node { ...TaskFields } } }\n  }\n"): typeof import('./graphql').DashboardDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DashboardHost { hostUpdated { id status maintenance allocation { vcpus memoryMb diskGb vms } } }\n"): typeof import('./graphql').DashboardHostDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DashboardVm { vmsUpdated { id state } }\n"): typeof import('./graphql').DashboardVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ClusterMetrics {\n    clusterMetrics {\n      at hostsUp hostsTotal vmsByState { state count }\n      vcpusAllocated memoryAllocatedBytes diskAllocatedBytes\n      cpuPercent memoryUsedBytes memoryTotalBytes memoryAllocatableBytes vcpusTotal\n      busiestVms { vmId at cpuPercent memoryUsedBytes netRxBytesPerSecond netTxBytesPerSecond diskReadBytesPerSecond diskWriteBytesPerSecond }\n    }\n  }\n"): typeof import('./graphql').ClusterMetricsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HostDetail($id: ID!) {\n    node(id: $id) { ... on Host { ...HostFields createdAt libvirtNetworks lastDrain { ...TaskFields } } }\n    vms(filter: { hostId: $id }, first: 25) { edges { node { id name state vcpus memoryMb diskGb owner { id name } } } pageInfo { hasNextPage } }\n  }\n"): typeof import('./graphql').HostDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RefreshHost($id: ID!) { refreshHost(id: $id) { __typename ... on Host { ...HostFields } ... on Error { message } } }\n"): typeof import('./graphql').RefreshHostDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveHost($id: ID!) { removeHost(id: $id) { __typename ... on Host { id } ... on Error { message } } }\n"): typeof import('./graphql').RemoveHostDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateIpPool($input: CreateIpPoolInput!) {\n    createIpPool(input: $input) {\n      __typename\n      ... on IpPool { id }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').CreateIpPoolDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteIpPool($id: ID!) { deleteIpPool(id: $id) { __typename ... on IpPool { id } ... on Error { message } } }\n"): typeof import('./graphql').DeleteIpPoolDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HostMetricsHistory($id: ID!, $from: DateTime!) {\n    node(id: $id) { ... on Host { metrics(from: $from) { resolutionSeconds times series { name avg } } } }\n  }\n"): typeof import('./graphql').HostMetricsHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription HostMetricsLive($id: ID!) {\n    hostMetrics(id: $id) { hostId at cpuPercent memoryUsedBytes memoryTotalBytes diskReadBytesPerSecond diskWriteBytesPerSecond netRxBytesPerSecond netTxBytesPerSecond vmsRunning }\n  }\n"): typeof import('./graphql').HostMetricsLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment HostFields on Host {\n    id name uri status statusMessage maintenance domainType domainTypeReason lastSeenAt\n    capabilities { cpus memoryMb cpuModel arch nested libvirtVersion hypervisorVersion }\n    allocation { vcpus memoryMb diskGb vms }\n    capacity { cpus cpuOvercommit vcpus memoryMb memoryOvercommit allocatableMemoryMb }\n    settings { cpuOvercommit memoryOvercommit concurrency diskPool imagePool vncListen network { kind name } }\n    ipPools { id name cidr gateway rangeStart rangeEnd size used dns }\n  }\n"): typeof import('./graphql').HostFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Hosts { hosts { ...HostFields } }\n"): typeof import('./graphql').HostsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription HostUpdated { hostUpdated { ...HostFields } }\n"): typeof import('./graphql').HostUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddHost($input: AddHostInput!) {\n    addHost(input: $input) {\n      __typename\n      ... on Host { ...HostFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').AddHostDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetHostMaintenance($id: ID!, $maintenance: Boolean!) {\n    updateHost(id: $id, input: { maintenance: $maintenance }) {\n      __typename\n      ... on Host { ...HostFields }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql').SetHostMaintenanceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Profile {\n    me {\n      id name email privileges createdAt\n      roles { id name }\n      quota { maxVcpus maxMemoryMb maxDiskGb maxVms }\n      apiTokens { id name privileges createdAt expiresAt revokedAt }\n    }\n  }\n"): typeof import('./graphql').ProfileDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMe($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { __typename ... on User { id name email } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').UpdateMeDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($input: ChangePasswordInput!) {\n    changePassword(input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').ChangePasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      __typename\n      ... on CreatedApiToken { secret token { id name } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').CreateApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { __typename ... on ApiToken { id } ... on Error { message } } }\n"): typeof import('./graphql').RevokeApiTokenDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Roles {\n    roles(first: 100) { edges { node { id name description builtIn requiresSecondFactor privileges } } }\n    privileges { privilege description }\n  }\n"): typeof import('./graphql').RolesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateRole($input: CreateRoleInput!) {\n    createRole(input: $input) { __typename ... on Role { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').CreateRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {\n    updateRole(id: $id, input: $input) { __typename ... on Role { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').UpdateRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetRoleRequiresSecondFactor($id: ID!, $required: Boolean!) {\n    setRoleRequiresSecondFactor(id: $id, required: $required) { __typename ... on Role { id requiresSecondFactor } ... on Error { message } }\n  }\n"): typeof import('./graphql').SetRoleRequiresSecondFactorDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteRole($id: ID!) { deleteRole(id: $id) { __typename ... on Role { id } ... on Error { message } } }\n"): typeof import('./graphql').DeleteRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query OidcProviders {\n    oidcProviders {\n      id name issuer clientId scopes usernameClaim emailClaim nameClaim groupsClaim createUsers enabled callbackUrl\n      groupRoles { group role { id name } }\n    }\n    roles(first: 200) { edges { node { id name } } }\n  }\n"): typeof import('./graphql').OidcProvidersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddOidcProvider($input: AddOidcProviderInput!) {\n    addOidcProvider(input: $input) { __typename ... on OidcProvider { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').AddOidcProviderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateOidcProvider($id: ID!, $input: UpdateOidcProviderInput!) {\n    updateOidcProvider(id: $id, input: $input) { __typename ... on OidcProvider { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').UpdateOidcProviderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteOidcProvider($id: ID!) { deleteOidcProvider(id: $id) { __typename ... on OidcProvider { id } ... on Error { message } } }\n"): typeof import('./graphql').DeleteOidcProviderDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Tasks($filter: TaskFilter) { tasks(filter: $filter, first: 15) { edges { node { ...TaskFields } } } }\n"): typeof import('./graphql').TasksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserRow on User { id name email disabled createdAt secondFactorMethods roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms maxSnapshotsPerVm } }\n"): typeof import('./graphql').UserRowFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users($filter: UserFilter) {\n    users(filter: $filter, first: 36) {\n      edges { node { id name email disabled createdAt secondFactorMethods roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms maxSnapshotsPerVm } } }\n    }\n    roles(first: 100) { edges { node { id name builtIn } } }\n  }\n"): typeof import('./graphql').UsersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription UsersUpdated { usersUpdated { ...UserRow } }\n"): typeof import('./graphql').UsersUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($input: CreateUserInput!) {\n    createUser(input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').CreateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserRoles($id: ID!, $roleIds: [ID!]!) {\n    setUserRoles(id: $id, roleIds: $roleIds) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').SetUserRolesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetQuota($userId: ID!, $input: QuotaInput!) {\n    setQuota(userId: $userId, input: $input) { __typename ... on Quota { maxVms } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').SetQuotaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').UpdateUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetUserPassword($id: ID!, $input: UpdateUserInput!) {\n    updateUser(id: $id, input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }\n  }\n"): typeof import('./graphql').SetUserPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DisableUser($id: ID!) { disableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }\n"): typeof import('./graphql').DisableUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ClearSecondFactors($id: ID!) { clearSecondFactors(id: $id) { __typename ... on User { id } ... on Error { message } } }\n"): typeof import('./graphql').ClearSecondFactorsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EnableUser($id: ID!) { enableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }\n"): typeof import('./graphql').EnableUserDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CreateVmOptions($withHosts: Boolean!) {\n    images(filter: { status: READY }, first: 50) {\n      edges { node { id name osFamily osVersion minDiskGb minMemoryMb cloudInit defaultUser virtualSizeBytes visibility } }\n    }\n    hosts @include(if: $withHosts) { id name status maintenance capabilities { cpus memoryMb } allocation { vcpus memoryMb } }\n    me { id quota { maxVcpus maxMemoryMb maxDiskGb maxVms } quotaUsage { vms vcpus memoryMb diskGb } }\n  }\n"): typeof import('./graphql').CreateVmOptionsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateVm($input: CreateVmInput!) {\n    createVm(input: $input) {\n      __typename\n      ... on VmTaskPayload { vm { id name state } task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').CreateVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VmDetailFields on Vm {\n    ...VmSummary\n    description\n    isoPath\n    network { kind name macAddress addressing pool addresses }\n    guest { hostname username timezone sshKeys hasPassword fullCopy firstBootScript }\n    image { id name osFamily osVersion }\n    actions { action allowed reason }\n  }\n"): typeof import('./graphql').VmDetailFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VmDetail($id: ID!) {\n    node(id: $id) { ... on Vm { ...VmDetailFields } }\n    tasks(filter: { vmId: $id }, first: 10) { edges { node { ...TaskFields } } }\n  }\n"): typeof import('./graphql').VmDetailDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription VmUpdated($id: ID!) { vmUpdated(id: $id) { ...VmDetailFields } }\n"): typeof import('./graphql').VmUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VmList($filter: VmFilter, $after: String) {\n    vms(filter: $filter, first: 20, after: $after) {\n      edges { node { ...VmSummary actions { action allowed reason } } }\n      pageInfo { hasNextPage endCursor }\n    }\n  }\n"): typeof import('./graphql').VmListDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription VmListUpdated { vmsUpdated { ...VmSummary actions { action allowed reason } } }\n"): typeof import('./graphql').VmListUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VmListMetrics($ids: [ID!]!) { nodes(ids: $ids) { ... on Vm { id latestMetrics { at cpuPercent memoryUsedBytes } } } }\n"): typeof import('./graphql').VmListMetricsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ScheduleFields on BackupSchedule {\n    id name cron timezone enabled chainCap tag\n    vms { id }\n    target { id name }\n    retention { keepLast keepDaily keepWeekly keepMonthly }\n    nextRuns(count: 3)\n    lastRun { startedAt finishedAt skipped prunedCount vms { vmId vmName status reason } }\n  }\n"): typeof import('./graphql').ScheduleFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VmBackupSchedules($id: ID!) {\n    node(id: $id) { ... on Vm { id tags } }\n    backupSchedules { ...ScheduleFields }\n    backupTargets { id name }\n  }\n"): typeof import('./graphql').VmBackupSchedulesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateBackupSchedule($input: BackupScheduleInput!) {\n    createBackupSchedule(input: $input) {\n      __typename\n      ... on BackupSchedule { ...ScheduleFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').CreateBackupScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateBackupSchedule($id: ID!, $input: BackupScheduleInput!) {\n    updateBackupSchedule(id: $id, input: $input) {\n      __typename\n      ... on BackupSchedule { ...ScheduleFields }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').UpdateBackupScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteBackupSchedule($id: ID!) { deleteBackupSchedule(id: $id) { __typename ... on Error { message } } }\n"): typeof import('./graphql').DeleteBackupScheduleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunBackupScheduleNow($id: ID!) { runBackupScheduleNow(id: $id) { __typename ... on Error { message } } }\n"): typeof import('./graphql').RunBackupScheduleNowDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BackupRetentionPreview($vmId: ID!, $targetId: ID!, $retention: BackupRetentionInput!, $timezone: String, $scheduleId: ID) {\n    backupRetentionPreview(vmId: $vmId, targetId: $targetId, retention: $retention, timezone: $timezone, scheduleId: $scheduleId) {\n      __typename\n      ... on QueryBackupRetentionPreviewSuccess { data { keep reason backup { id kind createdAt } } }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql').BackupRetentionPreviewDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment BackupFields on Backup {\n    id kind status reason error chainLength sizeBytes readBytes createdAt finishedAt vmName\n    parent { id createdAt }\n    target { id name }\n    disks { target virtualSizeBytes }\n  }\n"): typeof import('./graphql').BackupFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VmBackups($id: ID!) {\n    node(id: $id) { ... on Vm { id backups { ...BackupFields } } }\n    backupTargets { id name shared }\n  }\n"): typeof import('./graphql').VmBackupsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation BackupVm($vmId: ID!, $targetId: ID!) {\n    backupVm(vmId: $vmId, targetId: $targetId) {\n      __typename\n      ... on BackupTaskPayload { backup { ...BackupFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').BackupVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RestoreBackup($id: ID!, $input: RestoreBackupInput!) {\n    restoreBackup(id: $id, input: $input) {\n      __typename\n      ... on RestoreBackupPayload { vm { id name } task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').RestoreBackupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteBackup($id: ID!, $withDependents: Boolean) {\n    deleteBackup(id: $id, withDependents: $withDependents) {\n      __typename\n      ... on DeleteBackupPayload { deletedIds }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql').DeleteBackupDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VmDisks($id: ID!) {\n    node(id: $id) {\n      ... on Vm {\n        id\n        disks { id boot bootOrder target bus pool volume sizeGb allocationBytes ioLimits { totalBytesSec readBytesSec writeBytesSec totalIopsSec readIopsSec writeIopsSec } }\n      }\n    }\n  }\n"): typeof import('./graphql').VmDisksDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AttachDisk($vmId: ID!, $input: AttachDiskInput!) {\n    attachDisk(vmId: $vmId, input: $input) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').AttachDiskDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DetachDisk($vmId: ID!, $diskId: ID!, $deleteVolume: Boolean) {\n    detachDisk(vmId: $vmId, diskId: $diskId, deleteVolume: $deleteVolume) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').DetachDiskDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResizeDisk($vmId: ID!, $diskId: ID!, $sizeGiB: Int!) {\n    resizeDisk(vmId: $vmId, diskId: $diskId, sizeGiB: $sizeGiB) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').ResizeDiskDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetDiskIoLimits($vmId: ID!, $diskId: ID!, $limits: DiskIoLimitsInput!) {\n    setDiskIoLimits(vmId: $vmId, diskId: $diskId, limits: $limits) {\n      __typename\n      ... on VmDiskTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').SetDiskIoLimitsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VmSnapshotFields on VmSnapshot {\n    id\n    name\n    description\n    status\n    isCurrent\n    includesMemory\n    quiesced\n    sizeBytes\n    createdAt\n    createdBy { id name }\n    parent { id }\n  }\n"): typeof import('./graphql').VmSnapshotFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VmSnapshots($id: ID!) { node(id: $id) { ... on Vm { id snapshots { ...VmSnapshotFields } } } }\n"): typeof import('./graphql').VmSnapshotsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSnapshot($vmId: ID!, $input: CreateSnapshotInput!) {\n    createSnapshot(vmId: $vmId, input: $input) {\n      __typename\n      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').CreateSnapshotDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevertToSnapshot($id: ID!) {\n    revertToSnapshot(id: $id) {\n      __typename\n      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').RevertToSnapshotDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSnapshot($id: ID!) {\n    deleteSnapshot(id: $id) {\n      __typename\n      ... on VmSnapshotTaskPayload { snapshot { ...VmSnapshotFields } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').DeleteSnapshotDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Task($id: ID!) { node(id: $id) { ... on Task { ...TaskFields } } }\n"): typeof import('./graphql').TaskDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TaskLog($id: ID!) { node(id: $id) { ... on Task { id log { at line warning } } } }\n"): typeof import('./graphql').TaskLogDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelTask($id: ID!) { cancelTask(id: $id) { __typename ... on CancelTaskPayload { task { ...TaskFields } } ... on Error { message } } }\n"): typeof import('./graphql').CancelTaskDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CloneHosts { hosts { id name status maintenance } }\n"): typeof import('./graphql').CloneHostsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CloneVm($id: ID!, $input: CloneVmInput!) {\n    cloneVm(id: $id, input: $input) {\n      __typename\n      ... on VmTaskPayload { vm { id } task { id } }\n      ... on QuotaExceededError { resource }\n      ... on NoCapacityError { message }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').CloneVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateVmDetails($id: ID!, $input: UpdateVmDetailsInput!) {\n    updateVmDetails(id: $id, input: $input) {\n      __typename\n      ... on Vm { ...VmSummary description }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').UpdateVmDetailsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VmHardware($id: ID!) {\n    node(id: $id) {\n      ... on Vm {\n        id\n        bootOrder\n        bootOnce\n        isoPath\n        cdrom { id name }\n        interfaces { id position macAddress kind network address pool guestAddresses bandwidth { inbound { average peak burst } outbound { average peak burst } } }\n        host { id ipPools { id name } libvirtNetworks }\n      }\n    }\n    images(filter: { kind: ISO, status: READY }, first: 200) { edges { node { id name } } }\n  }\n"): typeof import('./graphql').VmHardwareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AttachVmInterface($vmId: ID!, $input: AttachVmInterfaceInput!) {\n    attachVmInterface(vmId: $vmId, input: $input) {\n      __typename\n      ... on VmInterfacePayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').AttachVmInterfaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DetachVmInterface($vmId: ID!, $interfaceId: ID!) {\n    detachVmInterface(vmId: $vmId, interfaceId: $interfaceId) {\n      __typename\n      ... on VmTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql').DetachVmInterfaceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetVmInterfaceBandwidth($vmId: ID!, $interfaceId: ID!, $input: InterfaceBandwidthInput!) {\n    setVmInterfaceBandwidth(vmId: $vmId, interfaceId: $interfaceId, input: $input) {\n      __typename\n      ... on VmInterfacePayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').SetVmInterfaceBandwidthDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetVmMedia($vmId: ID!, $imageId: ID) {\n    setVmMedia(vmId: $vmId, imageId: $imageId) {\n      __typename\n      ... on VmTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').SetVmMediaDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetVmBoot($vmId: ID!, $order: [BootDevice!]!, $once: Boolean) {\n    setVmBoot(vmId: $vmId, order: $order, once: $once) {\n      __typename\n      ... on VmTaskPayload { task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').SetVmBootDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VmMetricsHistory($id: ID!, $from: DateTime!, $to: DateTime) {\n    node(id: $id) { ... on Vm { metrics(from: $from, to: $to) { resolutionSeconds times series { name avg } } } }\n  }\n"): typeof import('./graphql').VmMetricsHistoryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription VmMetricsLive($id: ID!) {\n    vmMetrics(id: $id) {\n      vmId at cpuPercent memoryUsedBytes memoryAvailableBytes\n      diskReadBytesPerSecond diskWriteBytesPerSecond netRxBytesPerSecond netTxBytesPerSecond\n    }\n  }\n"): typeof import('./graphql').VmMetricsLiveDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TransferRecipients { users(first: 200, filter: { disabled: false }) { edges { node { id name email } } } }\n"): typeof import('./graphql').TransferRecipientsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation TransferVm($vmId: ID!, $toUserId: ID!) {\n    transferVm(vmId: $vmId, toUserId: $toUserId) {\n      __typename\n      ... on TransferVmPayload { vm { ...VmSummary } newOwner { id name } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').TransferVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MigrateTargets { hosts { id name status maintenance capacity { vcpus allocatableMemoryMb } allocation { vcpus memoryMb } } }\n"): typeof import('./graphql').MigrateTargetsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MigrateVm($id: ID!, $input: MigrateVmInput) {\n    migrateVm(id: $id, input: $input) {\n      __typename\n      ... on MigrateVmPayload { reason vm { ...VmSummary } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').MigrateVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetVmPassword($id: ID!, $password: String!) {\n    resetVmPassword(id: $id, password: $password) {\n      __typename\n      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').ResetVmPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReinstallVm($id: ID!, $imageId: ID, $guest: GuestInput) {\n    reinstallVm(id: $id, imageId: $imageId, guest: $guest) {\n      __typename\n      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').ReinstallVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ReinstallImages { images(filter: { status: READY }, first: 100) { edges { node { id name } } } }\n"): typeof import('./graphql').ReinstallImagesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResizeVm($id: ID!, $input: ResizeVmInput!) {\n    resizeVm(id: $id, input: $input) {\n      __typename\n      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }\n      ... on QuotaExceededError { resource }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').ResizeVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateConsoleTicket($vmId: ID!) {\n    createConsoleTicket(vmId: $vmId) {\n      __typename\n      ... on ConsoleTicket { ticket expiresAt path }\n      ... on Error { message }\n    }\n  }\n"): typeof import('./graphql').CreateConsoleTicketDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment VmSummary on Vm {\n    id\n    name\n    tags\n    state\n    stateMessage\n    vcpus\n    memoryMb\n    diskGb\n    ipAddress\n    updatedAt\n    createdAt\n    host { id name }\n    owner { id name }\n    image { id name }\n  }\n"): typeof import('./graphql').VmSummaryFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment TaskFields on Task {\n    id\n    operation\n    status\n    error\n    requestId\n    createdAt\n    startedAt\n    finishedAt\n    user { id name }\n    vm { id name }\n    steps { name state progress message position startedAt finishedAt }\n    warnings\n    cancelRequested\n    canCancel\n  }\n"): typeof import('./graphql').TaskFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TaskUpdated($id: ID!) { taskUpdated(id: $id) { ...TaskFields } }\n"): typeof import('./graphql').TaskUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription TasksUpdated { tasksUpdated { ...TaskFields } }\n"): typeof import('./graphql').TasksUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription VmsUpdated { vmsUpdated { ...VmSummary } }\n"): typeof import('./graphql').VmsUpdatedDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CaptureImage($vmId: ID!, $name: String!) {\n    captureImage(vmId: $vmId, name: $name) {\n      __typename\n      ... on CaptureImagePayload { image { id name status } task { ...TaskFields } vm { ...VmSummary } }\n      ... on Error { message }\n      ... on ValidationError { fieldErrors { path message } }\n    }\n  }\n"): typeof import('./graphql').CaptureImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartVm($id: ID!) { startVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n"): typeof import('./graphql').StartVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ShutdownVm($id: ID!) { shutdownVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n"): typeof import('./graphql').ShutdownVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopVm($id: ID!) { stopVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n"): typeof import('./graphql').StopVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RebootVm($id: ID!) { rebootVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n"): typeof import('./graphql').RebootVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResetVm($id: ID!) { resetVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n"): typeof import('./graphql').ResetVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SuspendVm($id: ID!) { suspendVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n"): typeof import('./graphql').SuspendVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeVm($id: ID!) { resumeVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n"): typeof import('./graphql').ResumeVmDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteVm($id: ID!) { deleteVm(id: $id) { __typename ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } } ... on Error { message } } }\n"): typeof import('./graphql').DeleteVmDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
