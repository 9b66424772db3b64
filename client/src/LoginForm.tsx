import { createSignal } from 'solid-js';
import { graphql } from './gql/index.ts';
import { request, errorText } from './lib/graphql.ts';
import { isTypedError, splitError } from './lib/errors.ts';
import { Field, FormError } from './components/Field.tsx';

export const LoginDocument = graphql(`
  mutation Login($input: LoginInput!) {
    login(input: $input) {
      __typename
      ... on LoginSuccess { user { id email name } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export function LoginForm(props: { notice?: string; onLoggedIn: () => void }) {
  const [email, setEmail] = createSignal('');
  const [password, setPassword] = createSignal('');
  const [error, setError] = createSignal<string | undefined>(props.notice);
  const [fieldErrors, setFieldErrors] = createSignal<Record<string, string>>({});
  const [busy, setBusy] = createSignal(false);

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError(undefined);
    setFieldErrors({});
    try {
      const { login } = await request(LoginDocument, { input: { email: email(), password: password() } });
      if (isTypedError(login)) {
        const split = splitError(login, ['email', 'password']);
        setFieldErrors(split.fields);
        setError(split.general);
        return;
      }
      setPassword('');
      props.onLoggedIn();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card narrow" onSubmit={submit} aria-labelledby="login-heading" novalidate>
      <h1 id="login-heading">Sign in to Hangar</h1>
      <Field id="email" label="Email" type="email" autocomplete="username" value={email()} onInput={setEmail} error={fieldErrors().email} required />
      <Field id="password" label="Password" type="password" autocomplete="current-password" value={password()} onInput={setPassword} error={fieldErrors().password} required />
      <FormError message={error()} />
      <button type="submit" disabled={busy()}>
        Sign in
      </button>
    </form>
  );
}
