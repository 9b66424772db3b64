import { createSignal, For, Show } from 'solid-js';
import { logout, type Me } from './api.ts';
import { FormError } from './Field.tsx';

export function WhoAmI(props: { me: Me; onLoggedOut: () => void }) {
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();

  const signOut = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await logout();
      props.onLoggedOut();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="me-heading">
      <h1 id="me-heading">{props.me.name}</h1>
      <dl>
        <dt>Email</dt>
        <dd data-testid="email">{props.me.email}</dd>
        <dt>Roles</dt>
        <dd data-testid="roles">
          <Show when={props.me.roles.length > 0} fallback={<span class="muted">none</span>}>
            {props.me.roles.map((r) => r.name).join(', ')}
          </Show>
        </dd>
        <dt>Privileges</dt>
        <dd>
          <ul class="tags" data-testid="privileges">
            <For each={props.me.privileges} fallback={<li class="muted">none</li>}>
              {(p) => <li>{p}</li>}
            </For>
          </ul>
        </dd>
      </dl>
      <FormError message={error()} />
      <button type="button" onClick={signOut} disabled={busy()}>
        Log out
      </button>
    </section>
  );
}
