import { createSignal } from 'solid-js';
import { fieldErrorMap, isError, login, setupAdministrator } from './api.ts';
import { Field, FormError } from './Field.tsx';

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
      const created = await setupAdministrator({ email: email(), name: name(), password: password() });
      if (isError(created)) {
        const byField = fieldErrorMap(created.fieldErrors);
        setFieldErrors(byField);
        // Field messages stand next to their fields; the form-level line is for everything else.
        setError(Object.keys(byField).length ? undefined : created.message);
        return;
      }
      const session = await login({ email: email(), password: password() });
      if (isError(session)) {
        props.onNeedLogin(`Administrator created, but signing in failed: ${session.message}`);
        return;
      }
      props.onLoggedIn();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="setup-heading" novalidate>
      <h1 id="setup-heading">Create the first administrator</h1>
      <p class="hint">Hangar has no users yet. This account will have every privilege.</p>
      <Field id="email" label="Email" type="email" autocomplete="username" value={email()} onInput={setEmail} error={fieldErrors().email} />
      <Field id="name" label="Name" autocomplete="name" value={name()} onInput={setName} error={fieldErrors().name} />
      <Field
        id="password"
        label="Password"
        type="password"
        autocomplete="new-password"
        value={password()}
        onInput={setPassword}
        error={fieldErrors().password}
      />
      <FormError message={error()} />
      <button type="submit" disabled={busy()}>
        Create administrator
      </button>
    </form>
  );
}
