import { createSignal, For, Index, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { OidcProvidersQuery } from '../gql/graphql.ts';
import { createQuery } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { guarded } from '../Layout.tsx';
import { Checkbox, Field, FormDialog, Select } from '../components/Field.tsx';
import { Alert, CardActions, Empty, Loading, PageHeader } from '../components/ui.tsx';

const OidcProvidersDocument = graphql(`
  query OidcProviders {
    oidcProviders {
      id name issuer clientId scopes usernameClaim emailClaim nameClaim groupsClaim createUsers enabled callbackUrl
      groupRoles { group role { id name } }
    }
    roles(first: 200) { edges { node { id name } } }
  }
`);
const AddOidcProviderDocument = graphql(`
  mutation AddOidcProvider($input: AddOidcProviderInput!) {
    addOidcProvider(input: $input) { __typename ... on OidcProvider { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const UpdateOidcProviderDocument = graphql(`
  mutation UpdateOidcProvider($id: ID!, $input: UpdateOidcProviderInput!) {
    updateOidcProvider(id: $id, input: $input) { __typename ... on OidcProvider { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const DeleteOidcProviderDocument = graphql(`
  mutation DeleteOidcProvider($id: ID!) { deleteOidcProvider(id: $id) { __typename ... on OidcProvider { id } ... on Error { message } } }
`);

type Provider = OidcProvidersQuery['oidcProviders'][number];
type RoleOption = { id: string; name: string };

export default guarded(['User_Manage', 'Role_Manage'], SingleSignOn);

function SingleSignOn() {
  const query = createQuery(OidcProvidersDocument, () => ({}));
  const [editing, setEditing] = createSignal<Provider | 'new'>();
  const action = createSubmit();
  const remove = (p: Provider) => action.submit(async () => (await request(DeleteOidcProviderDocument, { id: p.id })).deleteOidcProvider, () => void query.refetch(), { prefix: p.name });
  const roles = () => query.data()?.roles.edges.map((e) => e.node) ?? [];
  return (
    <section>
      <PageHeader title="Single sign-on">
        <button type="button" onClick={() => setEditing('new')}>
          Add provider
        </button>
      </PageHeader>
      <p class="muted">OpenID Connect providers users may sign in with. Roles named in a provider's group mapping follow the user's groups at every sign-in.</p>
      <Alert message={action.error() ?? query.error()} />
      <Show when={query.data()} fallback={<Loading what="providers" />}>
        <Show when={query.data()!.oidcProviders.length} fallback={<Empty>No provider yet: users sign in with their password.</Empty>}>
          <div class="grid2">
            <For each={query.data()!.oidcProviders}>
              {(p) => (
                <article class="card" aria-label={p.name}>
                  <div class="section-head">
                    <h2>{p.name}</h2>
                    <span class="muted small">{p.enabled ? 'enabled' : 'turned off'}</span>
                  </div>
                  <dl class="small">
                    <dt>Issuer</dt>
                    <dd>{p.issuer}</dd>
                    <dt>Client id</dt>
                    <dd>{p.clientId}</dd>
                    <dt>Redirect URI to register</dt>
                    <dd>
                      <code>{p.callbackUrl ?? 'set HANGAR_PUBLIC_URL'}</code>
                    </dd>
                    <dt>New users</dt>
                    <dd>{p.createUsers ? 'created at their first sign-in' : 'refused (an administrator creates them)'}</dd>
                  </dl>
                  <ul class="tags">
                    <For each={p.groupRoles}>{(g) => <li>{`${g.group} → ${g.role.name}`}</li>}</For>
                  </ul>
                  <CardActions when>
                    <button type="button" class="small secondary" onClick={() => setEditing(p)}>
                      Edit
                    </button>
                    <button type="button" class="small danger-outline" onClick={() => void remove(p)}>
                      Delete
                    </button>
                  </CardActions>
                </article>
              )}
            </For>
          </div>
        </Show>
      </Show>
      <Show when={editing()}>
        {(p) => (
          <ProviderDialog
            provider={p() === 'new' ? undefined : (p() as Provider)}
            roles={roles()}
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

const FIELDS = ['name', 'issuer', 'clientId', 'clientSecret', 'scopes', 'usernameClaim', 'emailClaim', 'nameClaim', 'groupsClaim', 'groupRoles'];

function ProviderDialog(props: { provider?: Provider; roles: RoleOption[]; onClose: () => void; onDone: () => void }) {
  const p = props.provider;
  const [name, setName] = createSignal(p?.name ?? '');
  const [issuer, setIssuer] = createSignal(p?.issuer ?? '');
  const [clientId, setClientId] = createSignal(p?.clientId ?? '');
  const [clientSecret, setClientSecret] = createSignal('');
  const [scopes, setScopes] = createSignal(p?.scopes ?? 'openid email profile');
  const [usernameClaim, setUsernameClaim] = createSignal(p?.usernameClaim ?? 'preferred_username');
  const [emailClaim, setEmailClaim] = createSignal(p?.emailClaim ?? 'email');
  const [nameClaim, setNameClaim] = createSignal(p?.nameClaim ?? 'name');
  const [groupsClaim, setGroupsClaim] = createSignal(p?.groupsClaim ?? 'groups');
  const [createUsers, setCreateUsers] = createSignal(p?.createUsers ?? false);
  const [enabled, setEnabled] = createSignal(p?.enabled ?? true);
  const [mapping, setMapping] = createSignal(p?.groupRoles.map((g) => ({ group: g.group, roleId: g.role.id })) ?? []);
  const form = createSubmit(FIELDS);
  const setRow = (i: number, row: { group: string; roleId: string }) => setMapping(mapping().map((r, j) => (j === i ? row : r)));

  const submit = () => {
    const input = {
      name: name(),
      issuer: issuer(),
      clientId: clientId(),
      scopes: scopes(),
      usernameClaim: usernameClaim(),
      emailClaim: emailClaim(),
      nameClaim: nameClaim(),
      groupsClaim: groupsClaim(),
      createUsers: createUsers(),
      enabled: enabled(),
      groupRoles: mapping().filter((r) => r.group.trim() !== ''),
    };
    return form.submit(
      async () =>
        p
          ? (await request(UpdateOidcProviderDocument, { id: p.id, input: { ...input, ...(clientSecret() ? { clientSecret: clientSecret() } : {}) } })).updateOidcProvider
          : (await request(AddOidcProviderDocument, { input: { ...input, clientSecret: clientSecret() } })).addOidcProvider,
      () => props.onDone(),
    );
  };

  return (
    <FormDialog title={p ? `Edit ${p.name}` : 'Add a sign-in provider'} onClose={props.onClose} wide onSubmit={() => void submit()} error={form.error()} submit={p ? 'Save' : 'Add provider'}>
      <Field id="sso-name" label="Name (on the sign-in button)" value={name()} onInput={setName} error={form.errors().name} required />
      <Field id="sso-issuer" label="Issuer URL" type="url" value={issuer()} onInput={setIssuer} error={form.errors().issuer} hint="Its /.well-known/openid-configuration is read" required />
      <Field id="sso-client-id" label="Client id" value={clientId()} onInput={setClientId} error={form.errors().clientId} required />
      <Field
        id="sso-client-secret"
        label="Client secret"
        type="password"
        autocomplete="off"
        value={clientSecret()}
        onInput={setClientSecret}
        error={form.errors().clientSecret}
        hint={p ? 'Leave empty to keep the current secret' : undefined}
        required={!p}
      />
      <Field id="sso-scopes" label="Scopes" value={scopes()} onInput={setScopes} error={form.errors().scopes} hint="Space-separated; openid among them" />
      <fieldset>
        <legend>Claims</legend>
        <Field id="sso-username-claim" label="User name claim" value={usernameClaim()} onInput={setUsernameClaim} error={form.errors().usernameClaim} />
        <Field id="sso-email-claim" label="Email claim" value={emailClaim()} onInput={setEmailClaim} error={form.errors().emailClaim} />
        <Field id="sso-name-claim" label="Display name claim" value={nameClaim()} onInput={setNameClaim} error={form.errors().nameClaim} />
        <Field id="sso-groups-claim" label="Groups claim" value={groupsClaim()} onInput={setGroupsClaim} error={form.errors().groupsClaim} />
      </fieldset>
      <fieldset>
        <legend>Groups and roles</legend>
        <p class="hint">Members of a group hold its role; roles named here are set again at every sign-in. You can only map roles you could grant.</p>
        <Index each={mapping()}>
          {(row, i) => (
            <div class="row3">
              <Field id={`sso-group-${i}`} label="Group" value={row().group} onInput={(group) => setRow(i, { ...row(), group })} />
              <Select id={`sso-role-${i}`} label="Role" value={row().roleId} onChange={(roleId) => setRow(i, { ...row(), roleId })}>
                <For each={props.roles}>{(r) => <option value={r.id}>{r.name}</option>}</For>
              </Select>
              <button type="button" class="small secondary" onClick={() => setMapping(mapping().filter((_, j) => j !== i))}>
                Remove
              </button>
            </div>
          )}
        </Index>
        <Show when={form.errors().groupRoles}>
          <p class="field-error">{form.errors().groupRoles}</p>
        </Show>
        <button type="button" class="small secondary" onClick={() => setMapping([...mapping(), { group: '', roleId: props.roles[0]?.id ?? '' }])}>
          Add a group
        </button>
      </fieldset>
      <Checkbox id="sso-create-users" label="Create users at their first sign-in" checked={createUsers()} onChange={setCreateUsers} hint="Otherwise someone without a Hangar account is refused" />
      <Checkbox id="sso-enabled" label="Enabled" checked={enabled()} onChange={setEnabled} />
    </FormDialog>
  );
}
