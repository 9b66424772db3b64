import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { Privilege, RolesQuery } from '../gql/graphql.ts';
import { createQuery } from '../lib/live.ts';
import { errorText, request } from '../lib/graphql.ts';
import { describeError, isTypedError, splitError, type FieldMessages } from '../lib/errors.ts';
import { privilegeName } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { Guard } from '../Layout.tsx';
import { Checkbox, Field, FormError } from '../components/Field.tsx';
import { Dialog, Loading, PageHeader } from '../components/ui.tsx';

const RolesDocument = graphql(`
  query Roles {
    roles(first: 100) { edges { node { id name description builtIn privileges } } }
    privileges { privilege description }
  }
`);
const CreateRoleDocument = graphql(`
  mutation CreateRole($input: CreateRoleInput!) {
    createRole(input: $input) { __typename ... on Role { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const UpdateRoleDocument = graphql(`
  mutation UpdateRole($id: ID!, $input: UpdateRoleInput!) {
    updateRole(id: $id, input: $input) { __typename ... on Role { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const DeleteRoleDocument = graphql(`
  mutation DeleteRole($id: ID!) { deleteRole(id: $id) { __typename ... on Role { id } ... on Error { message } } }
`);

type Role = RolesQuery['roles']['edges'][number]['node'];
type PrivilegeInfo = RolesQuery['privileges'][number];

export default function Roles() {
  return (
    <Guard anyOf={['Role_Manage', 'User_Manage']}>
      <RoleList />
    </Guard>
  );
}

function RoleList() {
  const session = useSession();
  const query = createQuery(RolesDocument, () => ({}));
  const [editing, setEditing] = createSignal<Role | 'new'>();
  const [error, setError] = createSignal<string>();
  const remove = async (role: Role) => {
    setError(undefined);
    try {
      const { deleteRole: r } = await request(DeleteRoleDocument, { id: role.id });
      if (isTypedError(r)) setError(`${role.name}: ${describeError(r)}`);
      else void query.refetch();
    } catch (e) {
      setError(errorText(e));
    }
  };
  return (
    <section>
      <PageHeader title="Roles">
        <Show when={session.can('Role_Manage')}>
          <button type="button" onClick={() => setEditing('new')}>
            New role
          </button>
        </Show>
      </PageHeader>
      <Show when={error() || query.error()}>
        <p class="form-error" role="alert">
          {error() ?? query.error()}
        </p>
      </Show>
      <Show when={query.data()} fallback={<Loading what="roles" />}>
        <div class="grid2">
          <For each={query.data()!.roles.edges.map((e) => e.node)}>
            {(role) => (
              <article class="card">
                <div class="section-head">
                  <h2>{role.name}</h2>
                  <span class="muted small">{role.builtIn ? 'built in' : 'custom'}</span>
                </div>
                <Show when={role.description}>
                  <p class="muted">{role.description}</p>
                </Show>
                <ul class="tags">
                  <For each={role.privileges}>{(p) => <li>{privilegeName(p)}</li>}</For>
                </ul>
                <Show when={!role.builtIn && session.can('Role_Manage')}>
                  <div class="actions">
                    <button type="button" class="small secondary" onClick={() => setEditing(role)}>
                      Edit
                    </button>
                    <button type="button" class="small danger-outline" onClick={() => void remove(role)}>
                      Delete
                    </button>
                  </div>
                </Show>
              </article>
            )}
          </For>
        </div>
      </Show>
      <Show when={editing()}>
        {(r) => (
          <RoleDialog
            role={r() === 'new' ? undefined : (r() as Role)}
            privileges={query.data()?.privileges ?? []}
            onClose={() => setEditing(undefined)}
            onDone={() => {
              setEditing(undefined);
              void query.refetch();
            }}
          />
        )}
      </Show>
    </section>
  );
}

function RoleDialog(props: { role?: Role; privileges: PrivilegeInfo[]; onClose: () => void; onDone: () => void }) {
  const session = useSession();
  const [name, setName] = createSignal(props.role?.name ?? '');
  const [description, setDescription] = createSignal(props.role?.description ?? '');
  const [chosen, setChosen] = createSignal(new Set<Privilege>(props.role?.privileges ?? []));
  const [errors, setErrors] = createSignal<FieldMessages>({});
  const [general, setGeneral] = createSignal<string>();
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setErrors({});
    setGeneral(undefined);
    const input = { name: name(), description: description(), privileges: [...chosen()] };
    try {
      const r = props.role ? (await request(UpdateRoleDocument, { id: props.role.id, input })).updateRole : (await request(CreateRoleDocument, { input })).createRole;
      if (isTypedError(r)) {
        const split = splitError(r, ['name', 'description', 'privileges']);
        setErrors(split.fields);
        setGeneral(split.general);
      } else props.onDone();
    } catch (err) {
      setGeneral(errorText(err));
    }
  };
  return (
    <Dialog title={props.role ? `Edit ${props.role.name}` : 'New role'} onClose={props.onClose} wide>
      <form class="stack" onSubmit={submit} novalidate>
        <Field id="role-name" label="Name" value={name()} onInput={setName} error={errors().name} />
        <Field id="role-description" label="Description" value={description()} onInput={setDescription} error={errors().description} />
        <fieldset>
          <legend>Privileges</legend>
          <p class="hint">You can only grant privileges you hold yourself.</p>
          <For each={props.privileges}>
            {(p) => (
              <Checkbox
                id={`priv-${p.privilege}`}
                label={privilegeName(p.privilege)}
                hint={p.description + (session.can(p.privilege) ? '' : ' (you do not hold it)')}
                checked={chosen().has(p.privilege)}
                onChange={(on) => {
                  const next = new Set(chosen());
                  if (on) next.add(p.privilege);
                  else next.delete(p.privilege);
                  setChosen(next);
                }}
              />
            )}
          </For>
          <Show when={errors().privileges}>
            <p class="field-error">{errors().privileges}</p>
          </Show>
        </fieldset>
        <FormError message={general()} />
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={props.onClose}>
            Cancel
          </button>
          <button type="submit">{props.role ? 'Save' : 'Create role'}</button>
        </div>
      </form>
    </Dialog>
  );
}
