import { createSignal } from 'solid-js';
import { graphql } from './gql/index.ts';
import { request } from './lib/graphql.ts';
import { isTypedError } from './lib/errors.ts';
import { createSubmit } from './lib/form.ts';
import { CardForm, Field } from './components/Field.tsx';
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
  const form = createSubmit(['email', 'name', 'password']);
  const submit = () =>
    form.submit(async () => (await request(SetupDocument, { input: { email: email(), name: name(), password: password() } })).setupAdministrator, async () => {
      const { login } = await request(LoginDocument, { input: { email: email(), password: password() } });
      if (isTypedError(login)) props.onNeedLogin(`Administrator created, but signing in failed: ${login.message}`);
      else props.onLoggedIn();
    });

  return (
    <CardForm name="setup" heading="Create the first administrator" onSubmit={() => void submit()} error={form.error()} busy={form.busy()} submit="Create administrator">
      <p class="hint">Hangar has no users yet. This account will have every privilege.</p>
      <Field id="email" label="Email" type="email" autocomplete="username" value={email()} onInput={setEmail} error={form.errors().email} required />
      <Field id="name" label="Name" autocomplete="name" value={name()} onInput={setName} error={form.errors().name} required />
      <Field id="password" label="Password" type="password" autocomplete="new-password" value={password()} onInput={setPassword} error={form.errors().password} required />
    </CardForm>
  );
}
