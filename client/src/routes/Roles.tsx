import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { Privilege, RolesQuery } from '../gql/graphql.ts';
import { createQuery } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { privilegeName } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { guarded } from '../Layout.tsx';
import { Checkbox, CheckboxSet, Field, FormDialog } from '../components/Field.tsx';
import { Alert, CardActions, Loading, PageHeader } from '../components/ui.tsx';

const RolesDocument = graphql(`
  query Roles {
    roles(first: 100) { edges { node { id name description builtIn requiresSecondFactor privileges } } }
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
const SetRoleRequiresSecondFactorDocument = graphql(`
  mutation SetRoleRequiresSecondFactor($id: ID!, $required: Boolean!) {
    setRoleRequiresSecondFactor(id: $id, required: $required) { __typename ... on Role { id requiresSecondFactor } ... on Error { message } }
  }
`);
const DeleteRoleDocument = graphql(`
  mutation DeleteRole($id: ID!) { deleteRole(id: $id) { __typename ... on Role { id } ... on Error { message } } }
`);

type Role = RolesQuery['roles']['edges'][number]['node'];
type PrivilegeInfo = RolesQuery['privileges'][number];

export default guarded(['Role_Manage', 'User_Manage'], RoleList);

function RoleList() {
  const session = useSession();
  const query = createQuery(RolesDocument, () => ({}));
  const [editing, setEditing] = createSignal<Role | 'new'>();
  const action = createSubmit();
  const remove = (role: Role) => action.submit(async () => (await request(DeleteRoleDocument, { id: role.id })).deleteRole, () => void query.refetch(), { prefix: role.name });
  // Built-in roles too: requiring a second factor of administrators is the usual first use.
  const requireSecondFactor = (role: Role, required: boolean) =>
    action.submit(async () => (await request(SetRoleRequiresSecondFactorDocument, { id: role.id, required })).setRoleRequiresSecondFactor, () => void query.refetch(), { prefix: role.name });
  return (
    <section>
      <PageHeader title="Roles">
        <Show when={session.can('Role_Manage')}>
          <button type="button" onClick={() => setEditing('new')}>
            New role
          </button>
        </Show>
      </PageHeader>
      <Alert message={action.error() ?? query.error()} />
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
                <Show when={session.can('Role_Manage')} fallback={<Show when={role.requiresSecondFactor}><p class="small">Requires a second factor</p></Show>}>
                  <Checkbox
                    id={`role-2fa-${role.id}`}
                    label="Requires second factor"
                    checked={role.requiresSecondFactor}
                    onChange={(checked) => void requireSecondFactor(role, checked)}
                    hint="Its users must enrol an authenticator app or a passkey at their next request before anything else"
                  />
                </Show>
                <CardActions when={!role.builtIn && session.can('Role_Manage')}>
                  <button type="button" class="small secondary" onClick={() => setEditing(role)}>
                    Edit
                  </button>
                  <button type="button" class="small danger-outline" onClick={() => void remove(role)}>
                    Delete
                  </button>
                </CardActions>
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
  const form = createSubmit(['name', 'description', 'privileges']);
  const submit = () => {
    const input = { name: name(), description: description(), privileges: [...chosen()] };
    return form.submit(async () => (props.role ? (await request(UpdateRoleDocument, { id: props.role.id, input })).updateRole : (await request(CreateRoleDocument, { input })).createRole), () => props.onDone());
  };
  return (
    <FormDialog title={props.role ? `Edit ${props.role.name}` : 'New role'} onClose={props.onClose} wide onSubmit={() => void submit()} error={form.error()} submit={props.role ? 'Save' : 'Create role'}>
      <Field id="role-name" label="Name" value={name()} onInput={setName} error={form.errors().name} />
      <Field id="role-description" label="Description" value={description()} onInput={setDescription} error={form.errors().description} />
      <CheckboxSet
        legend="Privileges"
        before={<p class="hint">You can only grant privileges you hold yourself.</p>}
        items={props.privileges}
        id={(p) => `priv-${p.privilege}`}
        value={(p) => p.privilege}
        label={(p) => privilegeName(p.privilege)}
        hint={(p) => p.description + (session.can(p.privilege) ? '' : ' (you do not hold it)')}
        chosen={chosen()}
        onChange={setChosen}
        error={form.errors().privileges}
      />
    </FormDialog>
  );
}
