import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { Privilege } from '../gql/graphql.ts';
import { createQuery } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import { privilegeName, quotaText, when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { themeChoice, setTheme, type ThemeChoice } from '../lib/theme.ts';
import { Checkbox, CheckboxSet, DialogForm, Field, FormError, Select } from '../components/Field.tsx';
import { Badge, Dialog, Empty, Notice, PageHeader, Table } from '../components/ui.tsx';
import { SecondFactorSettings } from '../SecondFactor.tsx';

const ProfileDocument = graphql(`
  query Profile {
    me {
      id name email privileges createdAt
      roles { id name }
      quota { maxVcpus maxMemoryMb maxDiskGb maxVms }
      apiTokens { id name privileges createdAt expiresAt revokedAt }
    }
  }
`);
const UpdateMeDocument = graphql(`
  mutation UpdateMe($id: ID!, $input: UpdateUserInput!) {
    updateUser(id: $id, input: $input) { __typename ... on User { id name email } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const ChangePasswordDocument = graphql(`
  mutation ChangePassword($input: ChangePasswordInput!) {
    changePassword(input: $input) { __typename ... on User { id } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const CreateApiTokenDocument = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      __typename
      ... on CreatedApiToken { secret token { id name } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);
const RevokeApiTokenDocument = graphql(`
  mutation RevokeApiToken($id: ID!) { revokeApiToken(id: $id) { __typename ... on ApiToken { id } ... on Error { message } } }
`);

export default function Profile() {
  const session = useSession();
  const query = createQuery(ProfileDocument, () => ({}));
  const me = () => query.data()?.me;

  const [name, setName] = createSignal(session.me().name);
  const [email, setEmail] = createSignal(session.me().email);
  const [profileMessage, setProfileMessage] = createSignal<string>();
  const profile = createSubmit(['name', 'email']);

  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [revokeTokens, setRevokeTokens] = createSignal(true);
  const [pwMessage, setPwMessage] = createSignal<string>();
  const password = createSubmit(['currentPassword', 'newPassword']);

  const [creating, setCreating] = createSignal(false);
  const tokens = createSubmit();

  const saveProfile = (e: SubmitEvent) => {
    e.preventDefault();
    setProfileMessage(undefined);
    void profile.submit(async () => (await request(UpdateMeDocument, { id: session.me().id, input: { name: name(), email: email() } })).updateUser, () => {
      setProfileMessage('Saved.');
      void session.reload();
    });
  };

  const changePassword = (e: SubmitEvent) => {
    e.preventDefault();
    setPwMessage(undefined);
    void password.submit(async () => (await request(ChangePasswordDocument, { input: { currentPassword: current(), newPassword: next(), revokeApiTokens: revokeTokens() } })).changePassword, () => {
      setCurrent('');
      setNext('');
      setPwMessage(revokeTokens() ? 'Password changed. Your other sessions have ended and your API tokens are revoked.' : 'Password changed. Your other sessions have ended.');
      if (revokeTokens()) void query.refetch();
    });
  };

  const revoke = (id: string) => tokens.submit(async () => (await request(RevokeApiTokenDocument, { id })).revokeApiToken, () => void query.refetch());

  return (
    <section>
      <PageHeader title="Profile" />
      <div class="grid2">
        <form class="card" onSubmit={saveProfile} novalidate aria-labelledby="profile-heading">
          <h2 id="profile-heading">You</h2>
          <Field id="profile-name" label="Name" value={name()} onInput={setName} error={profile.errors().name} autocomplete="name" />
          <Field id="profile-email" label="Email" type="email" value={email()} onInput={setEmail} error={profile.errors().email} autocomplete="email" />
          <FormError message={profile.error()} />
          <Notice message={profileMessage()} />
          <button type="submit">Save</button>
          <dl>
            <dt>Roles</dt>
            <dd data-testid="roles">{session.me().roles.map((r) => r.name).join(', ') || 'none'}</dd>
            <dt>Privileges</dt>
            <dd>
              <ul class="tags" data-testid="privileges">
                <For each={session.me().privileges} fallback={<li class="muted">none</li>}>
                  {(p) => <li>{p}</li>}
                </For>
              </ul>
            </dd>
            <Show when={me()?.quota}>
              {(q) => (
                <>
                  <dt>Quota</dt>
                  <dd>
                    {quotaText(q())}
                  </dd>
                </>
              )}
            </Show>
          </dl>
        </form>
        <div>
          <form class="card" onSubmit={changePassword} novalidate aria-labelledby="password-heading">
            <h2 id="password-heading">Password</h2>
            <Field id="current-password" label="Current password" type="password" value={current()} onInput={setCurrent} error={password.errors().currentPassword} autocomplete="current-password" />
            <Field id="new-password" label="New password" type="password" value={next()} onInput={setNext} error={password.errors().newPassword} autocomplete="new-password" hint="At least 10 characters" />
            <Checkbox id="revoke-tokens" label="Also revoke API tokens" checked={revokeTokens()} onChange={setRevokeTokens} hint="Recommended when the old password may be known to someone else" />
            <FormError message={password.error()} />
            <Notice message={pwMessage()} />
            <button type="submit">Change password</button>
          </form>
          <SecondFactorSettings />
          <div class="card">
            <h2>Appearance</h2>
            <Select id="theme" label="Theme" value={themeChoice()} onChange={(v) => setTheme(v as ThemeChoice)}>
              <option value="system">Follow the system</option>
              <option value="light">Light</option>
              <option value="dark">Dark</option>
            </Select>
          </div>
        </div>
      </div>

      <div class="card">
        <div class="section-head">
          <h2>API tokens</h2>
          <button type="button" onClick={() => setCreating(true)}>
            New token
          </button>
        </div>
        <p class="hint">For scripts and integrations: send it as “Authorization: Bearer …”. A token holds only the privileges you chose.</p>
        <FormError message={tokens.error()} />
        <Show when={me()?.apiTokens.length} fallback={<Empty>No tokens.</Empty>}>
          <Table columns={['Name', 'Privileges', 'Expires', 'Status']} actions each={me()!.apiTokens}>
            {(t) => (
              <tr>
                <td data-label="Name">
                  {t.name}
                  <div class="muted small">created {when(t.createdAt)}</div>
                </td>
                <td data-label="Privileges" class="small">
                  {t.privileges.map(privilegeName).join(', ')}
                </td>
                <td data-label="Expires">{when(t.expiresAt)}</td>
                <td data-label="Status">
                  <Badge state={t.revokedAt ? 'FAILED' : 'OK'} label={t.revokedAt ? 'Revoked' : 'Active'} />
                </td>
                <td class="row-actions">
                  <Show when={!t.revokedAt}>
                    <button type="button" class="small danger-outline" onClick={() => void revoke(t.id)}>
                      Revoke
                    </button>
                  </Show>
                </td>
              </tr>
            )}
          </Table>
        </Show>
      </div>
      <Show when={creating()}>
        <TokenDialog privileges={session.me().privileges} onClose={() => { setCreating(false); void query.refetch(); }} />
      </Show>
    </section>
  );
}

function TokenDialog(props: { privileges: Privilege[]; onClose: () => void }) {
  const [name, setName] = createSignal('');
  const [days, setDays] = createSignal('90');
  const [chosen, setChosen] = createSignal(new Set<Privilege>());
  const [secret, setSecret] = createSignal<string>();
  const [copied, setCopied] = createSignal(false);
  const form = createSubmit(['name', 'expiresInDays', 'privileges']);
  const submit = () => form.submit(async () => (await request(CreateApiTokenDocument, { input: { name: name(), expiresInDays: Number(days()) || undefined, privileges: [...chosen()] } })).createApiToken, (r) => setSecret(r.secret));
  return (
    <Dialog title={secret() ? 'Your new token' : 'New API token'} onClose={props.onClose}>
      <Show
        when={secret()}
        fallback={
          <DialogForm onSubmit={() => void submit()} onCancel={props.onClose} error={form.error()} submit="Create token">
            <Field id="token-name" label="Name" value={name()} onInput={setName} error={form.errors().name} />
            <Field id="token-days" label="Valid for (days, 1–365)" type="number" min={1} max={365} value={days()} onInput={setDays} error={form.errors().expiresInDays} />
            <CheckboxSet legend="Privileges" items={props.privileges} id={(p) => `token-${p}`} value={(p) => p} label={privilegeName} chosen={chosen()} onChange={setChosen} error={form.errors().privileges} />
          </DialogForm>
        }
      >
        <p class="warning">Copy it now: Hangar keeps only its hash and cannot show it again.</p>
        <div class="secret">
          <code data-testid="token-secret">{secret()}</code>
          <button
            type="button"
            class="secondary"
            onClick={async () => {
              await navigator.clipboard?.writeText(secret()!).catch(() => {});
              setCopied(true);
            }}
          >
            {copied() ? 'Copied' : 'Copy'}
          </button>
        </div>
        <div class="dialog-actions">
          <button type="button" onClick={props.onClose}>
            Done
          </button>
        </div>
      </Show>
    </Dialog>
  );
}
