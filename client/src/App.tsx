import { createSignal, Match, onMount, Switch } from 'solid-js';
import { bootstrap, type Me } from './api.ts';
import { LoginForm } from './LoginForm.tsx';
import { SetupForm } from './SetupForm.tsx';
import { WhoAmI } from './WhoAmI.tsx';

type View =
  | { name: 'loading' }
  | { name: 'failed'; message: string }
  | { name: 'setup' }
  | { name: 'login'; notice?: string }
  | { name: 'me'; me: Me };

export function App() {
  const [view, setView] = createSignal<View>({ name: 'loading' });

  const refresh = async () => {
    setView({ name: 'loading' });
    try {
      const data = await bootstrap();
      if (data.setupRequired) setView({ name: 'setup' });
      else if (data.me) setView({ name: 'me', me: data.me });
      else setView({ name: 'login' });
    } catch (err) {
      setView({ name: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  };

  onMount(refresh);

  /** Narrows the current view to one variant, or undefined (for <Match when>). */
  const viewIf =
    <N extends View['name']>(name: N) =>
    (): Extract<View, { name: N }> | undefined => {
      const v = view();
      return v.name === name ? (v as Extract<View, { name: N }>) : undefined;
    };
  const failed = viewIf('failed');
  const loginView = viewIf('login');
  const meView = viewIf('me');

  return (
    <main>
      <header class="brand">Hangar</header>
      <Switch>
        <Match when={view().name === 'loading'}>
          <p class="card" role="status">Loading…</p>
        </Match>
        <Match when={failed()}>
          {(v) => (
            <section class="card" role="alert">
              <h1>Hangar is unreachable</h1>
              <p>{v().message}</p>
              <button type="button" onClick={refresh}>
                Retry
              </button>
            </section>
          )}
        </Match>
        <Match when={view().name === 'setup'}>
          <SetupForm onLoggedIn={refresh} onNeedLogin={(notice) => setView({ name: 'login', notice })} />
        </Match>
        <Match when={loginView()}>
          {(v) => <LoginForm notice={v().notice} onLoggedIn={refresh} />}
        </Match>
        <Match when={meView()}>
          {(v) => <WhoAmI me={v().me} onLoggedOut={() => setView({ name: 'login' })} />}
        </Match>
      </Switch>
    </main>
  );
}
