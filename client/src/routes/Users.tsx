import { createSignal, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { UserRowFragment as User, UsersQuery } from '../gql/graphql.ts';
import { createLiveList, createQuery, createSubscription } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { quotaText, when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { guarded } from '../Layout.tsx';
import { Checkbox, CheckboxSet, Field, FormDialog, SearchField } from '../components/Field.tsx';
import { Alert, Badge, ListTable, PageHeader } from '../components/ui.tsx';

const UserRowFragment = graphql(`
  fragment UserRow on User { id name email disabled createdAt secondFactorMethods roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms maxSnapshotsPerVm } }
`);

// The fields of UserRow written out: a fragment spread inside a connection counts one level deeper
// in the API's query cost limit.
const UsersDocument = graphql(`
  query Users($filter: UserFilter) {
    users(filter: $filter, first: 36) {
      edges { node { id name email disabled createdAt secondFactorMethods roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms maxSnapshotsPerVm } } }
    }
    roles(first: 100) { edges { node { id name builtIn } } }
  }
`);

// Every user created or changed (profile, roles, quota, disabled), from whoever changed it.
const UsersUpdatedDocument = graphql(`
  subscription UsersUpdated { usersUpdated { ...UserRow } }
`);

/** As many as the query reads. */
const PAGE = 36;

const CreateUserDocument = graphql(`
  mutation CreateUser($input: CreateUserInput!) {
    createUser(input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const SetUserRolesDocument = graphql(`
  mutation SetUserRoles($id: ID!, $roleIds: [ID!]!) {
    setUserRoles(id: $id, roleIds: $roleIds) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const SetQuotaDocument = graphql(`
  mutation SetQuota($userId: ID!, $input: QuotaInput!) {
    setQuota(userId: $userId, input: $input) { __typename ... on Quota { maxVms } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const UpdateUserDocument = graphql(`
  mutation UpdateUser($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const SetUserPasswordDocument = graphql(`
  mutation SetUserPassword($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const DisableUserDocument = graphql(`
  mutation DisableUser($id: ID!) { disableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }
`);
const ClearSecondFactorsDocument = graphql(`
  mutation ClearSecondFactors($id: ID!) { clearSecondFactors(id: $id) { __typename ... on User { id } ... on Error { message } } }
`);
const EnableUserDocument = graphql(`
  mutation EnableUser($id: ID!) { enableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }
`);

type Role = UsersQuery['roles']['edges'][number]['node'];

export default guarded(['User_View', 'User_Manage'], UserList);

function UserList() {
  const session = useSession();
  const [search, setSearch] = createSignal('');
  const query = createQuery(UsersDocument, () => ({ filter: { search: search() || undefined } }));
  const [dialog, setDialog] = createSignal<DialogState>();
  const action = createSubmit();
  const manage = () => session.can('User_Manage');
  /** The server's search (in the email or name) and order (oldest first), for users that arrive live. */
  const matches = (user: User) => {
    const words = search().toLowerCase();
    return !words || user.email.toLowerCase().includes(words) || user.name.toLowerCase().includes(words);
  };
  const users = createLiveList(() => query.data()?.users.edges.map((e) => e.node), {
    matches,
    order: (a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : 0),
    limit: PAGE,
  });
  createSubscription(UsersUpdatedDocument, () => ({}), ({ usersUpdated }) => users.put(usersUpdated));

  // Clearing asks twice: the user must enrol again (or sign in with the password alone).
  const [clearing, setClearing] = createSignal<string>();
  const clearFactors = (user: User) => {
    if (clearing() !== user.id) return setClearing(user.id);
    setClearing(undefined);
    return action.submit(async () => (await request(ClearSecondFactorsDocument, { id: user.id })).clearSecondFactors, () => {}, { prefix: user.name });
  };
  const roles = (): Role[] => query.data()?.roles.edges.map((e) => e.node) ?? [];
  // The change arrives by usersUpdated.
  const toggleDisabled = (user: User) =>
    action.submit(async () => (user.disabled ? (await request(EnableUserDocument, { id: user.id })).enableUser : (await request(DisableUserDocument, { id: user.id })).disableUser), () => {}, { prefix: user.name });

  return (
    <section>
      <PageHeader title="Users">
        <Show when={manage()}>
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
            Add user
          </button>
        </Show>
      </PageHeader>
      <SearchField id="user-search" placeholder="Name or email…" value={search()} onInput={setSearch} />
      <Alert message={action.error() ?? query.error()} />
      <ListTable loaded={query.data()} what="users" empty="No user matches." label="Users" columns={['Name', 'Roles', 'Quota', 'Status']} actions each={users.items}>
        {(u) => (
          <tr>
            <td data-label="Name">
              <strong>{u.name}</strong>
              <div class="muted small">
                {u.email} · since {when(u.createdAt)}
              </div>
            </td>
            <td data-label="Roles">{u.roles.map((r) => r.name).join(', ') || '—'}</td>
            <td data-label="Quota">
              <Show when={u.quota} fallback={<span class="muted">unlimited</span>}>
                {(q) => (
                  <span class="small">
                    {quotaText(q())}
                  </span>
                )}
              </Show>
            </td>
            <td data-label="Status">
              <Badge state={u.disabled ? 'DISABLED' : 'OK'} label={u.disabled ? 'Disabled' : 'Active'} />
              <Show when={u.secondFactorMethods.length > 0}>
                <div class="muted small" data-testid="second-factor">
                  Second factor: {u.secondFactorMethods.filter((m) => m !== 'RECOVERY_CODE').map((m) => (m === 'TOTP' ? 'app' : 'passkey')).join(', ')}
                </div>
              </Show>
            </td>
            <td class="row-actions">
              <Show when={manage()}>
                <button type="button" class="small secondary" onClick={() => setDialog({ kind: 'edit', user: u })} aria-label={`Edit ${u.name}`}>
                  Edit
                </button>
                <button type="button" class="small secondary" onClick={() => setDialog({ kind: 'roles', user: u })}>
                  Roles
                </button>
                <button type="button" class="small secondary" onClick={() => setDialog({ kind: 'quota', user: u })}>
                  Quota
                </button>
                <Show when={u.id !== session.me().id}>
                  <button type="button" class="small secondary" onClick={() => setDialog({ kind: 'password', user: u })} aria-label={`Reset the password of ${u.name}`}>
                    Reset password
                  </button>
                  <button type="button" class={`small ${u.disabled ? 'secondary' : 'danger-outline'}`} onClick={() => void toggleDisabled(u)}>
                    {u.disabled ? 'Enable' : 'Disable'}
                  </button>
                  <Show when={u.secondFactorMethods.length > 0}>
                    <button type="button" class="small danger-outline" onClick={() => void clearFactors(u)} aria-label={`${clearing() === u.id ? 'Confirm: clear' : 'Clear'} the second factors of ${u.name}`}>
                      {clearing() === u.id ? 'Confirm: clear second factors' : 'Clear second factors'}
                    </button>
                  </Show>
                </Show>
              </Show>
            </td>
          </tr>
        )}
      </ListTable>
      <Show when={dialog()}>{(d) => <UserDialog state={d()} roles={roles()} onClose={() => setDialog(undefined)} />}</Show>
    </section>
  );
}

type DialogState = { kind: 'create' } | { kind: 'edit'; user: User } | { kind: 'roles'; user: User } | { kind: 'quota'; user: User } | { kind: 'password'; user: User };

/** The dialog the page opened; what it changes arrives by usersUpdated, so closing is all it does after. */
function UserDialog(props: { state: DialogState; roles: Role[]; onClose: () => void }) {
  const cur = props.state;
  if (cur.kind === 'create') return <CreateUserDialog roles={props.roles} onClose={props.onClose} onDone={props.onClose} />;
  if (cur.kind === 'edit') return <EditUserDialog user={cur.user} onClose={props.onClose} onDone={props.onClose} />;
  if (cur.kind === 'roles') return <RolesDialog user={cur.user} roles={props.roles} onClose={props.onClose} onDone={props.onClose} />;
  if (cur.kind === 'password') return <PasswordDialog user={cur.user} onClose={props.onClose} onDone={props.onClose} />;
  return <QuotaDialog user={cur.user} onClose={props.onClose} onDone={props.onClose} />;
}

function CreateUserDialog(props: { roles: Role[]; onClose: () => void; onDone: () => void }) {
  const [email, setEmail] = createSignal('');
  const [name, setName] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [roleIds, setRoleIds] = createSignal(new Set<string>());
  const form = createSubmit(['email', 'name', 'password', 'roleIds']);
  const submit = () => form.submit(async () => (await request(CreateUserDocument, { input: { email: email(), name: name(), password: password(), roleIds: [...roleIds()] } })).createUser, () => props.onDone());
  return (
    <FormDialog title="Add a user" onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit="Add user">
      <Field id="new-user-email" label="Email" type="email" value={email()} onInput={setEmail} error={form.errors().email} autocomplete="off" />
      <Field id="new-user-name" label="Name" value={name()} onInput={setName} error={form.errors().name} autocomplete="off" />
      <Field id="new-user-password" label="Password" type="password" value={password()} onInput={setPassword} error={form.errors().password} autocomplete="new-password" hint="At least 10 characters" />
      <RoleChoice roles={props.roles} chosen={roleIds()} onChange={setRoleIds} error={form.errors().roleIds} hint="None: the User role" />
    </FormDialog>
  );
}

/** Name and email; only what changed is sent (the email is checked for uniqueness by the server). */
function EditUserDialog(props: { user: User; onClose: () => void; onDone: () => void }) {
  const [email, setEmail] = createSignal(props.user.email);
  const [name, setName] = createSignal(props.user.name);
  const form = createSubmit(['email', 'name']);
  const changed = (now: string, was: string) => (now.trim() === was ? undefined : now.trim());
  const submit = () => {
    const input = { email: changed(email(), props.user.email), name: changed(name(), props.user.name) };
    if (input.email === undefined && input.name === undefined) return props.onDone();
    return form.submit(async () => (await request(UpdateUserDocument, { id: props.user.id, input })).updateUser, () => props.onDone());
  };
  return (
    <FormDialog title={`Edit ${props.user.name}`} onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit="Save">
      <Field id="edit-user-name" label="Name" value={name()} onInput={setName} error={form.errors().name} autocomplete="off" />
      <Field id="edit-user-email" label="Email" type="email" value={email()} onInput={setEmail} error={form.errors().email} autocomplete="off" />
      <p class="hint">You can only edit a user whose every privilege you hold.</p>
    </FormDialog>
  );
}

function RoleChoice(props: { roles: Role[]; chosen: Set<string>; onChange: (s: Set<string>) => void; error?: string; hint?: string }) {
  return (
    <CheckboxSet legend="Roles" items={props.roles} id={(r) => `role-${r.id}`} value={(r) => r.id} label={(r) => r.name} chosen={props.chosen} onChange={props.onChange} error={props.error}>
      <Show when={props.hint && !props.error}>
        <p class="hint">{props.hint}</p>
      </Show>
    </CheckboxSet>
  );
}

function RolesDialog(props: { user: User; roles: Role[]; onClose: () => void; onDone: () => void }) {
  const [chosen, setChosen] = createSignal(new Set(props.user.roles.map((r) => r.id)));
  const form = createSubmit();
  const submit = () => form.submit(async () => (await request(SetUserRolesDocument, { id: props.user.id, roleIds: [...chosen()] })).setUserRoles, () => props.onDone());
  return (
    <FormDialog title={`Roles of ${props.user.name}`} onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit="Save roles">
      <RoleChoice roles={props.roles} chosen={chosen()} onChange={setChosen} />
      <p class="hint">Takes effect at once, on open pages and connections too.</p>
    </FormDialog>
  );
}

function QuotaDialog(props: { user: User; onClose: () => void; onDone: () => void }) {
  const q = props.user.quota;
  const str = (v: number | null | undefined) => (v == null ? '' : String(v));
  const [vms, setVms] = createSignal(str(q?.maxVms));
  const [vcpus, setVcpus] = createSignal(str(q?.maxVcpus));
  const [memory, setMemory] = createSignal(str(q?.maxMemoryMb));
  const [disk, setDisk] = createSignal(str(q?.maxDiskGb));
  const [snapshots, setSnapshots] = createSignal(str(q?.maxSnapshotsPerVm));
  const form = createSubmit(['maxVms', 'maxVcpus', 'maxMemoryMb', 'maxDiskGb', 'maxSnapshotsPerVm']);
  const num = (v: string) => (v.trim() === '' ? null : Number(v));
  const submit = () =>
    form.submit(async () => (await request(SetQuotaDocument, { userId: props.user.id, input: { maxVms: num(vms()), maxVcpus: num(vcpus()), maxMemoryMb: num(memory()), maxDiskGb: num(disk()), maxSnapshotsPerVm: num(snapshots()) } })).setQuota, () => props.onDone());
  return (
    <FormDialog title={`Quota of ${props.user.name}`} onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit="Save quota">
      <p class="hint">Empty means unlimited.</p>
      <div class="row2">
        <Field id="quota-vms" label="VMs" type="number" min={0} value={vms()} onInput={setVms} error={form.errors().maxVms} />
        <Field id="quota-vcpus" label="vCPUs" type="number" min={0} value={vcpus()} onInput={setVcpus} error={form.errors().maxVcpus} />
        <Field id="quota-memory" label="Memory (MiB)" type="number" min={0} value={memory()} onInput={setMemory} error={form.errors().maxMemoryMb} />
        <Field id="quota-disk" label="Disk (GiB)" type="number" min={0} value={disk()} onInput={setDisk} error={form.errors().maxDiskGb} />
        <Field id="quota-snapshots" label="Snapshots per VM" type="number" min={0} value={snapshots()} onInput={setSnapshots} error={form.errors().maxSnapshotsPerVm} />
      </div>
    </FormDialog>
  );
}

function PasswordDialog(props: { user: User; onClose: () => void; onDone: () => void }) {
  const [password, setPassword] = createSignal('');
  const [revokeTokens, setRevokeTokens] = createSignal(true);
  const form = createSubmit(['password']);
  const submit = () => form.submit(async () => (await request(SetUserPasswordDocument, { id: props.user.id, input: { password: password(), revokeApiTokens: revokeTokens() } })).updateUser, () => props.onDone());
  return (
    <FormDialog title={`Reset the password of ${props.user.name}`} onClose={props.onClose} onSubmit={() => void submit()} error={form.error()} submit="Set password">
      <Field id="user-password" label="New password" type="password" value={password()} onInput={setPassword} error={form.errors().password} autocomplete="new-password" hint="At least 10 characters" />
      <Checkbox id="user-password-revoke-tokens" label="Also revoke API tokens" checked={revokeTokens()} onChange={setRevokeTokens} />
      <p class="hint">Their sessions end at once. You can only change the password of a user whose every privilege you hold.</p>
    </FormDialog>
  );
}
