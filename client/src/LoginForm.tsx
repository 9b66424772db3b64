import { createSignal } from 'solid-js';
import { fieldErrorMap, isError, login } from './api.ts';
import { Field, FormError } from './Field.tsx';

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
      const result = await login({ email: email(), password: password() });
      if (isError(result)) {
        const byField = fieldErrorMap(result.fieldErrors);
        setFieldErrors(byField);
        // Field messages stand next to their fields; the form-level line is for everything else.
        setError(Object.keys(byField).length ? undefined : result.message);
        return;
      }
      setPassword('');
      props.onLoggedIn();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card" onSubmit={submit} aria-labelledby="login-heading" novalidate>
      <h1 id="login-heading">Sign in to Hangar</h1>
      <Field id="email" label="Email" type="email" autocomplete="username" value={email()} onInput={setEmail} error={fieldErrors().email} />
      <Field
        id="password"
        label="Password"
        type="password"
        autocomplete="current-password"
        value={password()}
        onInput={setPassword}
        error={fieldErrors().password}
      />
      <FormError message={error()} />
      <button type="submit" disabled={busy()}>
        Sign in
      </button>
    </form>
  );
}
