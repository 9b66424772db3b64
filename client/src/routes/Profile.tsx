import { createSignal, For, Show } from 'solid-js';
import { graphql } from '../gql/index.ts';
import type { Privilege } from '../gql/graphql.ts';
import { createQuery } from '../lib/live.ts';
import { errorText, request } from '../lib/graphql.ts';
import { describeError, isTypedError, splitError, type FieldMessages } from '../lib/errors.ts';
import { privilegeName, when } from '../lib/format.ts';
import { useSession } from '../lib/session.ts';
import { themeChoice, setTheme, type ThemeChoice } from '../lib/theme.ts';
import { Checkbox, Field, FormError, Select } from '../components/Field.tsx';
import { Badge, Dialog, Empty, PageHeader } from '../components/ui.tsx';

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
  const [profileErrors, setProfileErrors] = createSignal<FieldMessages>({});
  const [profileMessage, setProfileMessage] = createSignal<string>();
  const [profileGeneral, setProfileGeneral] = createSignal<string>();

  const [current, setCurrent] = createSignal('');
  const [next, setNext] = createSignal('');
  const [revokeTokens, setRevokeTokens] = createSignal(true);
  const [pwErrors, setPwErrors] = createSignal<FieldMessages>({});
  const [pwGeneral, setPwGeneral] = createSignal<string>();
  const [pwMessage, setPwMessage] = createSignal<string>();

  const [creating, setCreating] = createSignal(false);
  const [tokenError, setTokenError] = createSignal<string>();

  const saveProfile = async (e: SubmitEvent) => {
    e.preventDefault();
    setProfileErrors({});
    setProfileGeneral(undefined);
    setProfileMessage(undefined);
    try {
      const { updateUser: r } = await request(UpdateMeDocument, { id: session.me().id, input: { name: name(), email: email() } });
      if (isTypedError(r)) {
        const split = splitError(r, ['name', 'email']);
        setProfileErrors(split.fields);
        setProfileGeneral(split.general);
      } else {
        setProfileMessage('Saved.');
        void session.reload();
      }
    } catch (err) {
      setProfileGeneral(errorText(err));
    }
  };

  const changePassword = async (e: SubmitEvent) => {
    e.preventDefault();
    setPwErrors({});
    setPwGeneral(undefined);
    setPwMessage(undefined);
    try {
      const { changePassword: r } = await request(ChangePasswordDocument, { input: { currentPassword: current(), newPassword: next(), revokeApiTokens: revokeTokens() } });
      if (isTypedError(r)) {
        const split = splitError(r, ['currentPassword', 'newPassword']);
        setPwErrors(split.fields);
        setPwGeneral(split.general);
      } else {
        setCurrent('');
        setNext('');
        setPwMessage(revokeTokens() ? 'Password changed. Your other sessions have ended and your API tokens are revoked.' : 'Password changed. Your other sessions have ended.');
        if (revokeTokens()) void query.refetch();
      }
    } catch (err) {
      setPwGeneral(errorText(err));
    }
  };

  const revoke = async (id: string) => {
    setTokenError(undefined);
    try {
      const { revokeApiToken: r } = await request(RevokeApiTokenDocument, { id });
      if (isTypedError(r)) setTokenError(describeError(r));
      else void query.refetch();
    } catch (err) {
      setTokenError(errorText(err));
    }
  };

  return (
    <section>
      <PageHeader title="Profile" />
      <div class="grid2">
        <form class="card" onSubmit={saveProfile} novalidate aria-labelledby="profile-heading">
          <h2 id="profile-heading">You</h2>
          <Field id="profile-name" label="Name" value={name()} onInput={setName} error={profileErrors().name} autocomplete="name" />
          <Field id="profile-email" label="Email" type="email" value={email()} onInput={setEmail} error={profileErrors().email} autocomplete="email" />
          <FormError message={profileGeneral()} />
          <Show when={profileMessage()}>
            <p class="notice" role="status">
              {profileMessage()}
            </p>
          </Show>
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
                    {q().maxVms ?? '∞'} VMs, {q().maxVcpus ?? '∞'} vCPUs, {q().maxMemoryMb ?? '∞'} MiB, {q().maxDiskGb ?? '∞'} GiB
                  </dd>
                </>
              )}
            </Show>
          </dl>
        </form>
        <div>
          <form class="card" onSubmit={changePassword} novalidate aria-labelledby="password-heading">
            <h2 id="password-heading">Password</h2>
            <Field id="current-password" label="Current password" type="password" value={current()} onInput={setCurrent} error={pwErrors().currentPassword} autocomplete="current-password" />
            <Field id="new-password" label="New password" type="password" value={next()} onInput={setNext} error={pwErrors().newPassword} autocomplete="new-password" hint="At least 10 characters" />
            <Checkbox id="revoke-tokens" label="Also revoke API tokens" checked={revokeTokens()} onChange={setRevokeTokens} hint="Recommended when the old password may be known to someone else" />
            <FormError message={pwGeneral()} />
            <Show when={pwMessage()}>
              <p class="notice" role="status">
                {pwMessage()}
              </p>
            </Show>
            <button type="submit">Change password</button>
          </form>
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
        <FormError message={tokenError()} />
        <Show when={me()?.apiTokens.length} fallback={<Empty>No tokens.</Empty>}>
          <table class="table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Privileges</th>
                <th>Expires</th>
                <th>Status</th>
                <th>
                  <span class="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={me()!.apiTokens}>
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
              </For>
            </tbody>
          </table>
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
  const [errors, setErrors] = createSignal<FieldMessages>({});
  const [general, setGeneral] = createSignal<string>();
  const [secret, setSecret] = createSignal<string>();
  const [copied, setCopied] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setErrors({});
    setGeneral(undefined);
    try {
      const { createApiToken: r } = await request(CreateApiTokenDocument, { input: { name: name(), expiresInDays: Number(days()) || undefined, privileges: [...chosen()] } });
      if (isTypedError(r)) {
        const split = splitError(r, ['name', 'expiresInDays', 'privileges']);
        setErrors(split.fields);
        setGeneral(split.general);
      } else setSecret(r.secret);
    } catch (err) {
      setGeneral(errorText(err));
    }
  };
  return (
    <Dialog title={secret() ? 'Your new token' : 'New API token'} onClose={props.onClose}>
      <Show
        when={secret()}
        fallback={
          <form class="stack" onSubmit={submit} novalidate>
            <Field id="token-name" label="Name" value={name()} onInput={setName} error={errors().name} />
            <Field id="token-days" label="Valid for (days, 1–365)" type="number" min={1} max={365} value={days()} onInput={setDays} error={errors().expiresInDays} />
            <fieldset>
              <legend>Privileges</legend>
              <For each={props.privileges}>
                {(p) => (
                  <Checkbox
                    id={`token-${p}`}
                    label={privilegeName(p)}
                    checked={chosen().has(p)}
                    onChange={(on) => {
                      const next = new Set(chosen());
                      if (on) next.add(p);
                      else next.delete(p);
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
              <button type="submit">Create token</button>
            </div>
          </form>
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
