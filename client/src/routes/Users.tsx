import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { UserRowFragment as User, UsersQuery } from '../gql/graphql.ts';
import { createLiveList, createQuery, createSubscription } from '../lib/live.ts';
import { errorText, request } from '../lib/graphql.ts';
import { describeError, isTypedError, splitError, type FieldMessages } from '../lib/errors.ts';
import { mib, when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { Guard } from '../Layout.tsx';
import { Checkbox, Field, FormError } from '../components/Field.tsx';
import { Badge, Dialog, Empty, Loading, PageHeader } from '../components/ui.tsx';

const UserRowFragment = graphql(`
  fragment UserRow on User { id name email disabled createdAt roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms } }
`);

// The fields of UserRow written out: a fragment spread inside a connection counts one level deeper
// in the API's query cost limit.
const UsersDocument = graphql(`
  query Users($filter: UserFilter) {
    users(filter: $filter, first: 40) {
      edges { node { id name email disabled createdAt roles { id name } quota { maxVcpus maxMemoryMb maxDiskGb maxVms } } }
    }
    roles(first: 100) { edges { node { id name builtIn } } }
  }
`);

// Every user created or changed (profile, roles, quota, disabled), from whoever changed it.
const UsersUpdatedDocument = graphql(`
  subscription UsersUpdated { usersUpdated { ...UserRow } }
`);

/** As many as the query reads. */
const PAGE = 40;

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
const SetUserPasswordDocument = graphql(`
  mutation SetUserPassword($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const DisableUserDocument = graphql(`
  mutation DisableUser($id: ID!) { disableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }
`);
const EnableUserDocument = graphql(`
  mutation EnableUser($id: ID!) { enableUser(id: $id) { __typename ... on User { id } ... on Error { message } } }
`);

type Role = UsersQuery['roles']['edges'][number]['node'];

export default function Users() {
  return (
    <Guard anyOf={['User_View', 'User_Manage']}>
      <UserList />
    </Guard>
  );
}

function UserList() {
  const session = useSession();
  const [search, setSearch] = createSignal('');
  const query = createQuery(UsersDocument, () => ({ filter: { search: search() || undefined } }));
  const [dialog, setDialog] = createSignal<{ kind: 'create' } | { kind: 'roles'; user: User } | { kind: 'quota'; user: User } | { kind: 'password'; user: User }>();
  const [error, setError] = createSignal<string>();
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

  const roles = (): Role[] => query.data()?.roles.edges.map((e) => e.node) ?? [];
  const toggleDisabled = async (user: User) => {
    setError(undefined);
    try {
      const r = user.disabled ? (await request(EnableUserDocument, { id: user.id })).enableUser : (await request(DisableUserDocument, { id: user.id })).disableUser;
      if (isTypedError(r)) setError(`${user.name}: ${describeError(r)}`);
    } catch (e) {
      setError(errorText(e));
    }
  };

  return (
    <section>
      <PageHeader title="Users">
        <Show when={manage()}>
          <button type="button" onClick={() => setDialog({ kind: 'create' })}>
            Add user
          </button>
        </Show>
      </PageHeader>
      <div class="toolbar" role="search">
        <div class="field inline">
          <label for="user-search">Search</label>
          <input id="user-search" type="search" placeholder="Name or email…" value={search()} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
      </div>
      <Show when={error() || query.error()}>
        <p class="form-error" role="alert">
          {error() ?? query.error()}
        </p>
      </Show>
      <Show when={query.data()} fallback={<Loading what="users" />}>
        <Show when={users.items.length} fallback={<Empty>No user matches.</Empty>}>
          <table class="table" aria-label="Users">
            <thead>
              <tr>
                <th>Name</th>
                <th>Roles</th>
                <th>Quota</th>
                <th>Status</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={users.items}>
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
                            {q().maxVms ?? '∞'} VMs, {q().maxVcpus ?? '∞'} vCPU, {q().maxMemoryMb != null ? mib(q().maxMemoryMb!) : '∞'}, {q().maxDiskGb ?? '∞'} GiB
                          </span>
                        )}
                      </Show>
                    </td>
                    <td data-label="Status">
                      <Badge state={u.disabled ? 'DISABLED' : 'OK'} label={u.disabled ? 'Disabled' : 'Active'} />
                    </td>
                    <td class="row-actions">
                      <Show when={manage()}>
                        <button type="button" class="small secondary" onClick={() => setDialog({ kind: 'roles', user: u })}>
                          Roles
                        </button>
                        <button type="button" class="small secondary" onClick={() => setDialog({ kind: 'quota', user: u })}>
                          Quota
                        </button>
                        <Show when={u.id !== session.me().id}>
                          <button type="button" class="small secondary" onClick={() => setDialog({ kind: 'password', user: u })}>
                            Password
                          </button>
                          <button type="button" class={`small ${u.disabled ? 'secondary' : 'danger-outline'}`} onClick={() => void toggleDisabled(u)}>
                            {u.disabled ? 'Enable' : 'Disable'}
                          </button>
                        </Show>
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </Show>
      <Show when={dialog()}>
        {(d) => {
          // What the dialog changed arrives by usersUpdated.
          const close = () => setDialog(undefined);
          const cur = d();
          if (cur.kind === 'create') return <CreateUserDialog roles={roles()} onClose={close} onDone={close} />;
          if (cur.kind === 'roles') return <RolesDialog user={cur.user} roles={roles()} onClose={close} onDone={close} />;
          if (cur.kind === 'password') return <PasswordDialog user={cur.user} onClose={close} onDone={close} />;
          return <QuotaDialog user={cur.user} onClose={close} onDone={close} />;
        }}
      </Show>
    </section>
  );
}

function CreateUserDialog(props: { roles: Role[]; onClose: () => void; onDone: () => void }) {
  const [email, setEmail] = createSignal('');
  const [name, setName] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [roleIds, setRoleIds] = createSignal(new Set<string>());
  const [errors, setErrors] = createSignal<FieldMessages>({});
  const [general, setGeneral] = createSignal<string>();
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setErrors({});
    setGeneral(undefined);
    try {
      const { createUser: r } = await request(CreateUserDocument, { input: { email: email(), name: name(), password: password(), roleIds: [...roleIds()] } });
      if (isTypedError(r)) {
        const split = splitError(r, ['email', 'name', 'password', 'roleIds']);
        setErrors(split.fields);
        setGeneral(split.general);
      } else props.onDone();
    } catch (err) {
      setGeneral(errorText(err));
    }
  };
  return (
    <Dialog title="Add a user" onClose={props.onClose}>
      <form class="stack" onSubmit={submit} novalidate>
        <Field id="new-user-email" label="Email" type="email" value={email()} onInput={setEmail} error={errors().email} autocomplete="off" />
        <Field id="new-user-name" label="Name" value={name()} onInput={setName} error={errors().name} autocomplete="off" />
        <Field id="new-user-password" label="Password" type="password" value={password()} onInput={setPassword} error={errors().password} autocomplete="new-password" hint="At least 10 characters" />
        <RoleChoice roles={props.roles} chosen={roleIds()} onChange={setRoleIds} error={errors().roleIds} hint="None: the User role" />
        <FormError message={general()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit">Add user</button>
        </div>
      </form>
    </Dialog>
  );
}

function RoleChoice(props: { roles: Role[]; chosen: Set<string>; onChange: (s: Set<string>) => void; error?: string; hint?: string }) {
  return (
    <fieldset>
      <legend>Roles</legend>
      <For each={props.roles}>
        {(r) => (
          <Checkbox
            id={`role-${r.id}`}
            label={r.name}
            checked={props.chosen.has(r.id)}
            onChange={(on) => {
              const next = new Set(props.chosen);
              if (on) next.add(r.id);
              else next.delete(r.id);
              props.onChange(next);
            }}
          />
        )}
      </For>
      <Show when={props.hint && !props.error}>
        <p class="hint">{props.hint}</p>
      </Show>
      <Show when={props.error}>
        <p class="field-error">{props.error}</p>
      </Show>
    </fieldset>
  );
}

function RolesDialog(props: { user: User; roles: Role[]; onClose: () => void; onDone: () => void }) {
  const [chosen, setChosen] = createSignal(new Set(props.user.roles.map((r) => r.id)));
  const [general, setGeneral] = createSignal<string>();
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setGeneral(undefined);
    try {
      const { setUserRoles: r } = await request(SetUserRolesDocument, { id: props.user.id, roleIds: [...chosen()] });
      if (isTypedError(r)) setGeneral(describeError(r));
      else props.onDone();
    } catch (err) {
      setGeneral(errorText(err));
    }
  };
  return (
    <Dialog title={`Roles of ${props.user.name}`} onClose={props.onClose}>
      <form class="stack" onSubmit={submit} novalidate>
        <RoleChoice roles={props.roles} chosen={chosen()} onChange={setChosen} />
        <p class="hint">Takes effect at once, on open pages and connections too.</p>
        <FormError message={general()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit">Save roles</button>
        </div>
      </form>
    </Dialog>
  );
}

function QuotaDialog(props: { user: User; onClose: () => void; onDone: () => void }) {
  const q = props.user.quota;
  const str = (v: number | null | undefined) => (v == null ? '' : String(v));
  const [vms, setVms] = createSignal(str(q?.maxVms));
  const [vcpus, setVcpus] = createSignal(str(q?.maxVcpus));
  const [memory, setMemory] = createSignal(str(q?.maxMemoryMb));
  const [disk, setDisk] = createSignal(str(q?.maxDiskGb));
  const [errors, setErrors] = createSignal<FieldMessages>({});
  const [general, setGeneral] = createSignal<string>();
  const num = (v: string) => (v.trim() === '' ? null : Number(v));
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setErrors({});
    setGeneral(undefined);
    try {
      const { setQuota: r } = await request(SetQuotaDocument, { userId: props.user.id, input: { maxVms: num(vms()), maxVcpus: num(vcpus()), maxMemoryMb: num(memory()), maxDiskGb: num(disk()) } });
      if (isTypedError(r)) {
        const split = splitError(r, ['maxVms', 'maxVcpus', 'maxMemoryMb', 'maxDiskGb']);
        setErrors(split.fields);
        setGeneral(split.general);
      } else props.onDone();
    } catch (err) {
      setGeneral(errorText(err));
    }
  };
  return (
    <Dialog title={`Quota of ${props.user.name}`} onClose={props.onClose}>
      <form class="stack" onSubmit={submit} novalidate>
        <p class="hint">Empty means unlimited.</p>
        <div class="row2">
          <Field id="quota-vms" label="VMs" type="number" min={0} value={vms()} onInput={setVms} error={errors().maxVms} />
          <Field id="quota-vcpus" label="vCPUs" type="number" min={0} value={vcpus()} onInput={setVcpus} error={errors().maxVcpus} />
          <Field id="quota-memory" label="Memory (MiB)" type="number" min={0} value={memory()} onInput={setMemory} error={errors().maxMemoryMb} />
          <Field id="quota-disk" label="Disk (GiB)" type="number" min={0} value={disk()} onInput={setDisk} error={errors().maxDiskGb} />
        </div>
        <FormError message={general()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit">Save quota</button>
        </div>
      </form>
    </Dialog>
  );
}

function PasswordDialog(props: { user: User; onClose: () => void; onDone: () => void }) {
  const [password, setPassword] = createSignal('');
  const [revokeTokens, setRevokeTokens] = createSignal(true);
  const [errors, setErrors] = createSignal<FieldMessages>({});
  const [general, setGeneral] = createSignal<string>();
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setErrors({});
    setGeneral(undefined);
    try {
      const { updateUser: r } = await request(SetUserPasswordDocument, { id: props.user.id, input: { password: password(), revokeApiTokens: revokeTokens() } });
      if (isTypedError(r)) {
        const split = splitError(r, ['password']);
        setErrors(split.fields);
        setGeneral(split.general);
      } else props.onDone();
    } catch (err) {
      setGeneral(errorText(err));
    }
  };
  return (
    <Dialog title={`Password of ${props.user.name}`} onClose={props.onClose}>
      <form class="stack" onSubmit={submit} novalidate>
        <Field id="user-password" label="New password" type="password" value={password()} onInput={setPassword} error={errors().password} autocomplete="new-password" hint="At least 10 characters" />
        <Checkbox id="user-password-revoke-tokens" label="Also revoke API tokens" checked={revokeTokens()} onChange={setRevokeTokens} />
        <p class="hint">Their sessions end at once. You can only change the password of a user whose every privilege you hold.</p>
        <FormError message={general()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit">Set password</button>
        </div>
      </form>
    </Dialog>
  );
}
