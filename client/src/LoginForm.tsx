import { createSignal } from 'solid-js';
import { graphql } from './gql/index.ts';
import { request } from './lib/graphql.ts';
import { createSubmit } from './lib/form.ts';
import { CardForm, Field } from './components/Field.tsx';

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
  const form = createSubmit(['email', 'password'], props.notice);
  const submit = () =>
    form.submit(async () => (await request(LoginDocument, { input: { email: email(), password: password() } })).login, () => {
      setPassword('');
      props.onLoggedIn();
    });

  return (
    <CardForm name="login" heading="Sign in to Hangar" onSubmit={() => void submit()} error={form.error()} busy={form.busy()} submit="Sign in">
      <Field id="email" label="Email" type="email" autocomplete="username" value={email()} onInput={setEmail} error={form.errors().email} required />
      <Field id="password" label="Password" type="password" autocomplete="current-password" value={password()} onInput={setPassword} error={form.errors().password} required />
    </CardForm>
  );
}
