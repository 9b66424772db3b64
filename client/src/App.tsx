import { createSignal, lazy, Match, onMount, Switch } from 'solid-js';
import { Router, type RouteDefinition } from '@solidjs/router';
import { graphql } from './gql/index.ts';
import { errorText, request, resetLiveConnection, setSessionLostHandler } from './lib/graphql.ts';
import { SessionContext, type Me, type Session } from './lib/session.ts';
import { LoginForm } from './LoginForm.tsx';
import { SetupForm } from './SetupForm.tsx';
import { SecondFactorSettings } from './SecondFactor.tsx';
import { Layout } from './Layout.tsx';
import { Dashboard } from './routes/Dashboard.tsx';

// Every screen but the dashboard is its own chunk, loaded when first visited.
const ROUTES: RouteDefinition[] = [
  { path: '/', component: Dashboard },
  { path: '/vms', component: lazy(() => import('./routes/VmList.tsx')) },
  { path: '/vms/new', component: lazy(() => import('./routes/VmCreate.tsx')) },
  { path: '/vms/:id', component: lazy(() => import('./routes/VmDetail.tsx')) },
  { path: '/images', component: lazy(() => import('./routes/Images.tsx')) },
  { path: '/images/repository', component: lazy(() => import('./routes/Repository.tsx')) },
  { path: '/hosts', component: lazy(() => import('./routes/Hosts.tsx')) },
  { path: '/hosts/:id', component: lazy(() => import('./routes/HostDetail.tsx')) },
  { path: '/backup-targets', component: lazy(() => import('./routes/BackupTargets.tsx')) },
  { path: '/users', component: lazy(() => import('./routes/Users.tsx')) },
  { path: '/roles', component: lazy(() => import('./routes/Roles.tsx')) },
  { path: '/settings/sso', component: lazy(() => import('./routes/SingleSignOn.tsx')) },
  { path: '/audit', component: lazy(() => import('./routes/Audit.tsx')) },
  { path: '/tasks', component: lazy(() => import('./routes/Tasks.tsx')) },
  { path: '/profile', component: lazy(() => import('./routes/Profile.tsx')) },
  { path: '*404', component: lazy(() => import('./routes/NotFound.tsx')) },
];

const BootstrapDocument = graphql(`
  query Bootstrap {
    me { id email name privileges roles { name } }
    setupRequired
    secondFactorEnrolmentRequired
  }
`);

const LogoutDocument = graphql(`mutation Logout { logout }`);

type View = { name: 'loading' } | { name: 'failed'; message: string } | { name: 'setup' } | { name: 'login'; notice?: string } | { name: 'enrol' } | { name: 'app' };

export function App() {
  const [view, setView] = createSignal<View>({ name: 'loading' });
  const [me, setMe] = createSignal<Me>();

  const load = async (quiet = false) => {
    if (!quiet) setView({ name: 'loading' });
    try {
      const data = await request(BootstrapDocument);
      if (data.setupRequired) setView({ name: 'setup' });
      // The server answers nothing else until a required second factor is enrolled.
      else if (data.me && data.secondFactorEnrolmentRequired) setView({ name: 'enrol' });
      else if (data.me) {
        // Another user than the socket was opened for (signed in again): open a new one.
        if (me()?.id !== data.me.id) resetLiveConnection();
        setMe(data.me);
        setView({ name: 'app' });
      } else setView({ name: 'login' });
    } catch (err) {
      if (!quiet) setView({ name: 'failed', message: errorText(err) });
    }
  };

  setSessionLostHandler(() => {
    if (view().name !== 'app' && view().name !== 'enrol') return;
    resetLiveConnection();
    setMe(undefined);
    setView({ name: 'login', notice: 'Your session ended. Sign in again.' });
  });
  onMount(() => void load());

  const session: Session = {
    me: () => me()!,
    can: (privilege) => me()?.privileges.includes(privilege) ?? false,
    reload: () => load(true),
    signOut: async () => {
      await request(LogoutDocument);
      resetLiveConnection();
      setMe(undefined);
      setView({ name: 'login' });
    },
  };

  const failed = () => {
    const v = view();
    return v.name === 'failed' ? v : undefined;
  };
  const login = () => {
    const v = view();
    return v.name === 'login' ? v : undefined;
  };

  return (
    <Switch>
      <Match when={view().name === 'loading'}>
        <main class="centered">
          <p class="card narrow" role="status">
            Loading…
          </p>
        </main>
      </Match>
      <Match when={failed()}>
        {(v) => (
          <main class="centered">
            <section class="card narrow" role="alert">
              <h1>Hangar is unreachable</h1>
              <p>{v().message}</p>
              <button type="button" onClick={() => void load()}>
                Retry
              </button>
            </section>
          </main>
        )}
      </Match>
      <Match when={view().name === 'setup'}>
        <main class="centered">
          <p class="brand">Hangar</p>
          <SetupForm onLoggedIn={() => void load()} onNeedLogin={(notice) => setView({ name: 'login', notice })} />
        </main>
      </Match>
      <Match when={login()}>
        {(v) => (
          <main class="centered">
            <p class="brand">Hangar</p>
            <LoginForm notice={v().notice} onLoggedIn={() => void load()} />
          </main>
        )}
      </Match>
      <Match when={view().name === 'enrol'}>
        <main class="centered">
          <p class="brand">Hangar</p>
          <section class="narrow">
            <h1>Set up a second factor</h1>
            <SecondFactorSettings onEnrolled={() => void load()} />
            <button type="button" class="secondary" onClick={() => void session.signOut()}>
              Sign out
            </button>
          </section>
        </main>
      </Match>
      <Match when={view().name === 'app' && me()}>
        <SessionContext.Provider value={session}>
          <Router root={Layout}>{ROUTES}</Router>
        </SessionContext.Provider>
      </Match>
    </Switch>
  );
}
