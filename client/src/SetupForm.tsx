import { createSignal } from 'solid-js';
import { graphql } from './gql/index.ts';
import { errorText, request } from './lib/graphql.ts';
import { isTypedError, splitError } from './lib/errors.ts';
import { Field, FormError } from './components/Field.tsx';
import { LoginDocument } from './LoginForm.tsx';

const SetupDocument = graphql(`
  mutation SetupAdministrator($input: SetupAdministratorInput!) {
    setupAdministrator(input: $input) {
      __typename
      ... on User { id }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export function SetupForm(props: { onLoggedIn: () => void; onNeedLogin: (notice: string) => void }) {
  const [email, setEmail] = createSignal('');
  const [name, setName] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | undefined>();
  const [fieldErrors, setFieldErrors] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      const { setupAdministrator: created } = await request(SetupDocument, { input: { email: email(), name: name(), password: password() } });
      if (isTypedError(created)) {
        const split = splitError(created, ['email', 'name', 'password']);
        setFieldErrors(split.fields);
        setError(split.general);
        return;
      }
      const { login } = await request(LoginDocument, { input: { email: email(), password: password() } });
      if (isTypedError(login)) {
        props.onNeedLogin(`Administrator created, but signing in failed: ${login.message}`);
        return;
      }
      props.onLoggedIn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card narrow" onSubmit={submit} aria-labelledby="setup-heading" novalidate>
      <h1 id="setup-heading">Create the first administrator</h1>
      <p class="hint">Hangar has no users yet. This account will have every privilege.</p>
      <Field id="email" label="Email" type="email" autocomplete="username" value={email()} onInput={setEmail} error={fieldErrors().email} required />
      <Field id="name" label="Name" autocomplete="name" value={name()} onInput={setName} error={fieldErrors().name} required />
      <Field id="password" label="Password" type="password" autocomplete="new-password" value={password()} onInput={setPassword} error={fieldErrors().password} required />
      <FormError message={error()} />
      <button type="submit" disabled={busy()}>
        Create administrator
      </button>
    </form>
  );
}
