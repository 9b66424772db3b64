import { Show } from 'solid-js';
import { A } from '@solidjs/router';
import { useSession } from '../lib/session.ts';

/** The page header's way to the create form, for those who may create VMs. */
export function CreateVmLink() {
  const session = useSession();
  return (
    <Show when={session.can('VM_Create')}>
      <A class="button" href="/vms/new">
        Create VM
      </A>
    </Show>
  );
}
