import { createSignal, For, Show, Suspense, type JSX } from 'solid-js';
import { A, useLocation, type RouteSectionProps } from '@solidjs/router';
import { graphql } from './gql/index.ts';
import type { Privilege } from './gql/graphql.ts';
import { liveConnection, reconnects } from './lib/graphql.ts';
import { createSubscription } from './lib/live.ts';
import { useSession } from './lib/session.ts';
import { isDark, toggleTheme } from './lib/theme.ts';
import { createEffect, on } from 'solid-js';

const MeUpdatedDocument = graphql(`
  subscription MeUpdated($id: ID!) { userUpdated(id: $id) { id name email privileges } }
`);

interface NavItem {
  href: string;
  label: string;
  /** Shown to holders of any of these; everyone when absent. */
  anyOf?: Privilege[];
  /** Shown only to holders of all of these. */
  allOf?: Privilege[];
  end?: boolean;
}

const NAV: NavItem[] = [
  { href: '/', label: 'Dashboard', end: true },
  { href: '/vms', label: 'Virtual machines' },
  { href: '/images', label: 'Images' },
  { href: '/tasks', label: 'Tasks' },
  { href: '/hosts', label: 'Hosts', anyOf: ['Host_View', 'Host_Manage'] },
  { href: '/backup-targets', label: 'Backup targets', anyOf: ['BackupTarget_Manage'] },
  { href: '/users', label: 'Users', anyOf: ['User_View', 'User_Manage'] },
  { href: '/roles', label: 'Roles', anyOf: ['Role_Manage', 'User_Manage'] },
  { href: '/settings/sso', label: 'Single sign-on', allOf: ['User_Manage', 'Role_Manage'] },
  { href: '/audit', label: 'Audit log', anyOf: ['Audit_Read'] },
];

export function Layout(props: RouteSectionProps): JSX.Element {
  const session = useSession();
  const location = useLocation();
  const [menuOpen, setMenuOpen] = createSignal(false);
  const visible = () => NAV.filter((item) => (!item.anyOf || item.anyOf.some((p) => session.can(p))) && (!item.allOf || item.allOf.every((p) => session.can(p))));

  // Rights may change while the page is open: the user's own record streams, and a reconnect
  // (the server closes sockets with 4403 when rights change) reads them again.
  createSubscription(MeUpdatedDocument, () => ({ id: session.me().id }), () => void session.reload());
  createEffect(on(reconnects, () => void session.reload(), { defer: true }));
  // Navigating closes the phone menu.
  createEffect(on(() => location.pathname, () => setMenuOpen(false), { defer: true }));

  return (
    <div class="shell">
      <a class="skip" href="#content">
        Skip to content
      </a>
      <header class="topbar">
        <button type="button" class="ghost menu-button" aria-expanded={menuOpen()} aria-controls="nav" onClick={() => setMenuOpen(!menuOpen())}>
          <span aria-hidden="true">☰</span> Menu
        </button>
        <A href="/" class="brand" end>
          Hangar
        </A>
        <div class="topbar-end">
          <span class={`live ${liveConnection()}`} role="status" title="Live updates">
            <span class="dot" aria-hidden="true" />
            <span class="live-label">{liveConnection() === 'reconnecting' ? 'Reconnecting…' : 'Live'}</span>
          </span>
          <button type="button" class="ghost" onClick={toggleTheme} aria-label={isDark() ? 'Use light theme' : 'Use dark theme'} title="Light or dark">
            <span aria-hidden="true">{isDark() ? '☀' : '☾'}</span>
          </button>
          <A href="/profile" class="user-link">
            {session.me().name}
          </A>
          <button type="button" class="ghost" onClick={() => void session.signOut()}>
            Log out
          </button>
        </div>
      </header>
      <nav id="nav" class="sidebar" classList={{ open: menuOpen() }} aria-label="Main">
        <ul>
          <For each={visible()}>
            {(item) => (
              <li>
                <A href={item.href} end={item.end} activeClass="active">
                  {item.label}
                </A>
              </li>
            )}
          </For>
          <li class="nav-profile">
            <A href="/profile" activeClass="active">
              Profile and tokens
            </A>
          </li>
        </ul>
      </nav>
      <main id="content" class="content" tabindex="-1">
        <Suspense fallback={<p class="muted" role="status">Loading…</p>}>{props.children}</Suspense>
      </main>
    </div>
  );
}

/** A screen only holders of a privilege may see; others get words, not an empty page. */
export function Guard(props: { anyOf: Privilege[]; children: JSX.Element }) {
  const session = useSession();
  return (
    <Show
      when={props.anyOf.some((p) => session.can(p))}
      fallback={
        <section class="card">
          <h1>Not available</h1>
          <p>This screen needs one of these privileges: {props.anyOf.map((p) => p.replace('_', '.')).join(', ')}.</p>
        </section>
      }
    >
      {props.children}
    </Show>
  );
}

/** A route's page shown only to holders of any of these privileges. */
export function guarded(anyOf: Privilege[], Page: () => JSX.Element): () => JSX.Element {
  return () => (
    <Guard anyOf={anyOf}>
      <Page />
    </Guard>
  );
}
