// "Get to your first VM": the path a new installation's administrator follows, each step a link,
// ticked off once done (a host, an image, a VM); it goes away when all three are.
import { For, Show } from 'solid-js';
import { A } from '@solidjs/router';
import { graphql } from '../gql/index.ts';
import { createQuery, createSubscription, debounce } from '../lib/live.ts';
import { useSession } from '../lib/session.ts';

const FirstRunDocument = graphql(`
  query FirstRun {
    hosts { id }
    images(first: 1, filter: { status: READY }) { edges { node { id } } }
    vms(first: 1) { edges { node { id } } }
  }
`);

const FirstRunImagesDocument = graphql(`subscription FirstRunImages { imagesUpdated { id } }`);
const FirstRunVmsDocument = graphql(`subscription FirstRunVms { vmsUpdated { id } }`);

interface Step {
  done: boolean;
  title: string;
  href: string;
  link: string;
  detail: string;
  command?: string;
}

export function FirstRunPath() {
  const session = useSession();
  const admin = () => session.can('Host_Manage') && session.can('Image_Manage');
  const query = createQuery(FirstRunDocument, () => (admin() ? {} : false));
  const again = debounce(() => void query.refetch(), 300);
  createSubscription(FirstRunImagesDocument, () => (admin() ? {} : false), again);
  createSubscription(FirstRunVmsDocument, () => (admin() ? {} : false), again);

  const steps = (): Step[] => {
    const data = query.data();
    if (!data) return [];
    const host = data.hosts.length > 0;
    return [
      {
        done: host,
        title: 'A host to run VMs',
        href: '/hosts',
        link: host ? 'See the hosts' : 'Add a host',
        detail: host ? 'Hangar drives this host’s libvirt.' : 'This machine has no libvirt Hangar can reach. Install it with the command below, then restart Hangar (it registers this machine itself), or add another machine by its libvirt URI.',
        command: host ? undefined : 'sudo scripts/install-host',
      },
      {
        done: data.images.edges.length > 0,
        title: 'An operating system image',
        href: '/images/repository',
        link: 'Open the image repository',
        detail: 'Install Debian, Ubuntu, AlmaLinux, Rocky Linux, Fedora or Alpine with one click, verified against the vendor’s checksum.',
      },
      {
        done: data.vms.edges.length > 0,
        title: 'Your first VM',
        href: '/vms/new',
        link: 'Create a VM',
        detail: 'Pick the image and a size; the VM starts with your user, password or SSH key set by cloud-init.',
      },
    ];
  };

  return (
    <Show when={steps().length && !steps().every((s) => s.done)}>
      <section class="card first-run" aria-label="Get to your first VM">
        <h2>Get to your first VM</h2>
        <ol class="first-run-steps">
          <For each={steps()}>
            {(step) => (
              <li class={step.done ? 'done' : ''} data-done={step.done ? 'true' : 'false'}>
                <span class="first-run-mark" aria-label={step.done ? 'done' : 'to do'}>
                  {step.done ? '✓' : '○'}
                </span>
                <div>
                  <strong>{step.title}</strong> · <A href={step.href}>{step.link}</A>
                  <p class="muted small">{step.detail}</p>
                  <Show when={step.command}>
                    <pre class="script">{step.command}</pre>
                  </Show>
                </div>
              </li>
            )}
          </For>
        </ol>
      </section>
    </Show>
  );
}
