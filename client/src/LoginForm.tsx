import { createResource, createSignal, For, Show } from 'solid-js';
import { startAuthentication } from '@simplewebauthn/browser';
import { graphql } from './gql/index.ts';
import type { SecondFactorMethod } from './gql/graphql.ts';
import { request } from './lib/graphql.ts';
import { createSubmit } from './lib/form.ts';
import { CardForm, Field } from './components/Field.tsx';

export const LoginDocument = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginSuccess { user { id email name } }
      ... on SecondFactorRequired { token methods passkeyOptions }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const VerifySecondFactorDocument = graphql(`
  mutation VerifySecondFactor($input: VerifySecondFactorInput!) {
    verifySecondFactor(input: $input) {
      __typename
      ... on LoginSuccess { user { id } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const SignInProvidersDocument = graphql(`
  query SignInProviders { signInProviders { id name startUrl } }
`);

/**
 * What a single sign-on sent back in the address's fragment (server/http/oidc-routes.ts): a
 * refusal to show, or a pending sign-in that needs the second factor. Read once, then removed.
 */
function takeSignInFragment(): { error?: string; pending?: Pending } {
  const hash = window.location.hash;
  const error = /^#sign-in-error=(.*)$/.exec(hash)?.[1];
  const pending = /^#second-factor=([\w-]+)$/.exec(hash)?.[1];
  if (!error && !pending) return {};
  history.replaceState(null, '', window.location.pathname + window.location.search);
  if (error) return { error: decodeURIComponent(error) };
  try {
    return { pending: JSON.parse(atob(pending!.replace(/-/g, '+').replace(/_/g, '/'))) as Pending };
  } catch {
    return { error: 'The sign-in could not be read: sign in again' };
  }
}

interface Pending {
  token: string;
  methods: SecondFactorMethod[];
  passkeyOptions?: string | null;
}

export function LoginForm(props: { notice?: string; onLoggedIn: () => void }) {
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const fromProvider = takeSignInFragment();
  const [pending, setPending] = createSignal<Pending | undefined>(fromProvider.pending);
  const form = createSubmit(['email', 'password'], fromProvider.error ?? props.notice);
  // The enabled single sign-on providers; none, or none readable, shows the password form alone.
  const [providers] = createResource(async () => (await request(SignInProvidersDocument).catch(() => ({ signInProviders: [] }))).signInProviders);
  const submit = () =>
    form.submit(async () => (await request(LoginDocument, { input: { email: email(), password: password() } })).login, (result) => {
      setPassword('');
      if (result.__typename === 'SecondFactorRequired') setPending(result);
      else props.onLoggedIn();
    });

  return (
    <Show
      when={pending()}
      fallback={
        <>
          <CardForm name="login" heading="Sign in to Hangar" onSubmit={() => void submit()} error={form.error()} busy={form.busy()} submit="Sign in">
            <Field id="email" label="Email" type="email" autocomplete="username" value={email()} onInput={setEmail} error={form.errors().email} required />
            <Field id="password" label="Password" type="password" autocomplete="current-password" value={password()} onInput={setPassword} error={form.errors().password} required />
          </CardForm>
          <Show when={providers()?.length}>
            <nav class="card narrow sso" aria-label="Single sign-on">
              <For each={providers()}>
                {(p) => (
                  <a class="button secondary" href={p.startUrl}>
                    Sign in with {p.name}
                  </a>
                )}
              </For>
            </nav>
          </Show>
        </>
      }
    >
      {(p) => <SecondStep pending={p()} onLoggedIn={props.onLoggedIn} onRestart={(notice) => { setPending(undefined); form.setError(notice); }} />}
    </Show>
  );
}

/** The second step of signing in: a passkey, a code from the authenticator app, or a recovery code. */
function SecondStep(props: { pending: Pending; onLoggedIn: () => void; onRestart: (notice?: string) => void }) {
  const has = (m: SecondFactorMethod) => props.pending.methods.includes(m);
  const [useRecovery, setUseRecovery] = createSignal(!has('TOTP'));
  const [code, setCode] = createSignal('');
  const form = createSubmit(['totpCode', 'recoveryCode']);

  const verify = (proof: { totpCode?: string; recoveryCode?: string; passkeyResponse?: string }) =>
    form.submit(async () => (await request(VerifySecondFactorDocument, { input: { token: props.pending.token, ...proof } })).verifySecondFactor, () => props.onLoggedIn());

  const submitCode = () => void verify(useRecovery() ? { recoveryCode: code().trim() } : { totpCode: code().trim() });
  const usePasskey = () =>
    void form.submit(
      async () => {
        const answer = await startAuthentication({ optionsJSON: JSON.parse(props.pending.passkeyOptions!) });
        return (await request(VerifySecondFactorDocument, { input: { token: props.pending.token, passkeyResponse: JSON.stringify(answer) } })).verifySecondFactor;
      },
      () => props.onLoggedIn(),
    );

  return (
    <CardForm name="second-factor" heading="Second factor" onSubmit={submitCode} error={form.error()} busy={form.busy()} submit="Verify">
      <Show when={has('PASSKEY') && props.pending.passkeyOptions}>
        <button type="button" onClick={usePasskey} disabled={form.busy()}>
          Use a passkey or security key
        </button>
      </Show>
      <Show
        when={useRecovery()}
        fallback={<Field id="totp-code" label="Code from your authenticator app" value={code()} onInput={setCode} error={form.errors().totpCode} autocomplete="one-time-code" />}
      >
        <Field id="recovery-code" label="Recovery code" value={code()} onInput={setCode} error={form.errors().recoveryCode} autocomplete="off" />
      </Show>
      <p>
        <Show when={has('TOTP') && has('RECOVERY_CODE')}>
          <button type="button" class="link" onClick={() => { setUseRecovery(!useRecovery()); setCode(''); }}>
            {useRecovery() ? 'Use a code from the authenticator app' : 'Use a recovery code'}
          </button>{' '}
        </Show>
        <button type="button" class="link" onClick={() => props.onRestart()}>
          Start over
        </button>
      </p>
    </CardForm>
  );
}
