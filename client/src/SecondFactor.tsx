// Your own second factors: an authenticator app (QR code, verified once before it is on), passkeys
// and security keys (WebAuthn through @simplewebauthn/browser), and recovery codes shown once.
// Used by the Profile page and by the enrolment screen a required second factor leads to.
import { createResource, createSignal, For, Show } from 'solid-js';
import { startRegistration } from '@simplewebauthn/browser';
import QRCode from 'qrcode';
import { graphql } from './gql/index.ts';
import { request } from './lib/graphql.ts';
import { createSubmit } from './lib/form.ts';
import { when } from './lib/format.ts';
import { Field, FormError } from './components/Field.tsx';
import { Notice } from './components/ui.tsx';

const MySecondFactorDocument = graphql(`
  query MySecondFactor {
    mySecondFactor { totpEnabled recoveryCodesLeft required enrolmentRequired passkeys { id name createdAt lastUsedAt } }
  }
`);
const StartTotpDocument = graphql(`
  mutation StartTotpEnrolment { startTotpEnrolment { __typename ... on TotpEnrolment { secret uri } ... on Error { message } } }
`);
const ConfirmTotpDocument = graphql(`
  mutation ConfirmTotpEnrolment($code: String!) {
    confirmTotpEnrolment(code: $code) { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } ... on ValidationError { fieldErrors { path message } } }
  }
`);
const RemoveTotpDocument = graphql(`mutation RemoveTotp { removeTotp { __typename ... on SecondFactorSettings { totpEnabled } ... on Error { message } } }`);
const StartPasskeyDocument = graphql(`
  mutation StartPasskeyRegistration { startPasskeyRegistration { __typename ... on PasskeyRegistration { options } ... on Error { message } } }
`);
const FinishPasskeyDocument = graphql(`
  mutation FinishPasskeyRegistration($response: String!, $name: String) {
    finishPasskeyRegistration(response: $response, name: $name) { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } }
  }
`);
const RemovePasskeyDocument = graphql(`mutation RemovePasskey($id: ID!) { removePasskey(id: $id) { __typename ... on SecondFactorSettings { totpEnabled } ... on Error { message } } }`);
const RegenerateCodesDocument = graphql(`
  mutation RegenerateRecoveryCodes { regenerateRecoveryCodes { __typename ... on SecondFactorEnrolled { recoveryCodes } ... on Error { message } } }
`);

/** The second-factor card; `onEnrolled` runs once a factor is on (the enrolment screen then lets the user in). */
export function SecondFactorSettings(props: { onEnrolled?: () => void }) {
  const [settings, { refetch }] = createResource(async () => (await request(MySecondFactorDocument)).mySecondFactor);
  const [totp, setTotp] = createSignal<{ secret: string; uri: string; qr: string }>();
  const [code, setCode] = createSignal('');
  const [passkeyName, setPasskeyName] = createSignal('');
  const [codes, setCodes] = createSignal<string[]>([]);
  const [message, setMessage] = createSignal<string>();
  const form = createSubmit(['code']);

  const enrolled = (recoveryCodes: string[], what: string) => {
    setCodes(recoveryCodes);
    setMessage(`${what} is on.`);
    void refetch();
    // New recovery codes are shown once: the enrolment screen waits until they are saved.
    if (recoveryCodes.length === 0) props.onEnrolled?.();
  };

  const startTotp = () =>
    form.submit(async () => (await request(StartTotpDocument)).startTotpEnrolment, async (started) => {
      setMessage(undefined);
      setTotp({ ...started, qr: await QRCode.toDataURL(started.uri, { margin: 1, width: 200 }) });
    });

  const confirmTotp = (e: SubmitEvent) => {
    e.preventDefault();
    void form.submit(async () => (await request(ConfirmTotpDocument, { code: code().trim() })).confirmTotpEnrolment, (result) => {
      setTotp(undefined);
      setCode('');
      enrolled(result.recoveryCodes, 'The authenticator app');
    });
  };

  const addPasskey = () =>
    form.submit(async () => (await request(StartPasskeyDocument)).startPasskeyRegistration, async (started) => {
      const answer = await startRegistration({ optionsJSON: JSON.parse(started.options) });
      const finished = (await request(FinishPasskeyDocument, { response: JSON.stringify(answer), name: passkeyName().trim() || null })).finishPasskeyRegistration;
      if (finished.__typename !== 'SecondFactorEnrolled') throw new Error(finished.message);
      setPasskeyName('');
      enrolled(finished.recoveryCodes, 'The passkey');
    });

  const removeTotp = () => form.submit(async () => (await request(RemoveTotpDocument)).removeTotp, () => void refetch());
  const removePasskey = (id: string) => form.submit(async () => (await request(RemovePasskeyDocument, { id })).removePasskey, () => void refetch());
  const regenerate = () =>
    form.submit(async () => (await request(RegenerateCodesDocument)).regenerateRecoveryCodes, (result) => {
      setCodes(result.recoveryCodes);
      void refetch();
    });

  return (
    <div class="card" aria-labelledby="second-factor-heading">
      <h2 id="second-factor-heading">Second factor</h2>
      <Show when={settings()}>
        {(s) => (
          <>
            <Show when={s().enrolmentRequired}>
              <p role="alert">Your role requires a second factor: set up an authenticator app or a passkey to go on.</p>
            </Show>
            <h3>Authenticator app</h3>
            <Show
              when={!s().totpEnabled}
              fallback={
                <p>
                  On.{' '}
                  <button type="button" class="secondary" onClick={() => void removeTotp()} disabled={form.busy()}>
                    Remove authenticator app
                  </button>
                </p>
              }
            >
              <Show
                when={totp()}
                fallback={
                  <button type="button" onClick={() => void startTotp()} disabled={form.busy()}>
                    Set up authenticator app
                  </button>
                }
              >
                {(t) => (
                  <form onSubmit={confirmTotp} novalidate aria-label="Verify authenticator app">
                    <p>Scan this code with your authenticator app, or type the key into it, then enter the code it shows.</p>
                    <img src={t().qr} alt="QR code for your authenticator app" width="200" height="200" data-testid="totp-qr" />
                    <p>
                      Key: <code data-testid="totp-secret">{t().secret}</code>
                    </p>
                    <Field id="totp-code" label="Code from the app" value={code()} onInput={setCode} error={form.errors().code} autocomplete="one-time-code" />
                    <button type="submit" disabled={form.busy()}>
                      Verify and turn on
                    </button>
                  </form>
                )}
              </Show>
            </Show>

            <h3>Passkeys and security keys</h3>
            <ul data-testid="passkeys">
              <For each={s().passkeys} fallback={<li class="muted">None</li>}>
                {(p) => (
                  <li>
                    {p.name} <span class="muted">added {when(p.createdAt)}{p.lastUsedAt ? `, last used ${when(p.lastUsedAt)}` : ''}</span>{' '}
                    <button type="button" class="secondary" onClick={() => void removePasskey(p.id)} disabled={form.busy()} aria-label={`Remove passkey ${p.name}`}>
                      Remove
                    </button>
                  </li>
                )}
              </For>
            </ul>
            <Field id="passkey-name" label="Name for a new passkey" value={passkeyName()} onInput={setPasskeyName} placeholder="e.g. YubiKey" />
            <button type="button" onClick={() => void addPasskey()} disabled={form.busy()}>
              Add passkey or security key
            </button>

            <h3>Recovery codes</h3>
            <p data-testid="recovery-codes-left">{s().recoveryCodesLeft} of 10 left.</p>
            <Show when={s().totpEnabled || s().passkeys.length > 0}>
              <button type="button" class="secondary" onClick={() => void regenerate()} disabled={form.busy()}>
                New recovery codes
              </button>
            </Show>
          </>
        )}
      </Show>
      <Show when={codes().length > 0}>
        <div role="region" aria-label="Your recovery codes">
          <p>
            <strong>Save these recovery codes now: they are shown only once.</strong> Each signs you in once if you lose your authenticator.
          </p>
          <ol class="recovery-codes" data-testid="recovery-codes">
            <For each={codes()}>{(c) => <li><code>{c}</code></li>}</For>
          </ol>
          <button
            type="button"
            class="secondary"
            onClick={() => {
              setCodes([]);
              props.onEnrolled?.();
            }}
          >
            I saved them
          </button>
        </div>
      </Show>
      <FormError message={form.error()} />
      <Notice message={message()} />
    </div>
  );
}
