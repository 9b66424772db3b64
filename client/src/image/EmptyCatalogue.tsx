import { Show } from 'solid-js';
import { A } from '@solidjs/router';
import { useSession } from '../lib/session.ts';

/** What a new user needs when there is no image yet: the ways to get one, each with its button. */
export function EmptyCatalogue(props: { onUpload: () => void; onImport: () => void; onCapture: () => void }) {
  const session = useSession();
  return (
    <div class="empty empty-catalogue" role="region" aria-label="No images yet">
      <h2>No images yet</h2>
      <p class="muted">An image is the disk a VM starts from: an operating system, often with cloud-init to set its user, password and SSH keys.</p>
      <Show
        when={session.can('Image_Create')}
        fallback={<p>Ask an administrator to add an image or share one with you.</p>}
      >
        <ul class="ways">
          <li>
            <div>
              <strong>Install from the image repository</strong>
              <p class="muted small">Debian, Ubuntu, AlmaLinux, Rocky Linux, Fedora and Alpine cloud images, verified against their vendors’ checksums.</p>
            </div>
            <A class="button" href="/images/repository">
              Open the repository
            </A>
          </li>
          <li>
            <div>
              <strong>Upload a disk image</strong>
              <p class="muted small">A qcow2 or raw file from your computer, such as a Debian “genericcloud” image.</p>
            </div>
            <button type="button" class="secondary" onClick={() => props.onUpload()}>
              Upload an image
            </button>
          </li>
          <li>
            <div>
              <strong>Import from a URL</strong>
              <p class="muted small">Hangar downloads the file itself (http or https), such as a cloud image from cloud.debian.org.</p>
            </div>
            <button type="button" class="secondary" onClick={() => props.onImport()}>
              Import by URL
            </button>
          </li>
          <Show when={session.can('VM_PowerMgmt')}>
            <li>
              <div>
                <strong>Capture a VM</strong>
                <p class="muted small">Turn a VM you have set up into an image of your own, to deploy again.</p>
              </div>
              <button type="button" class="secondary" onClick={() => props.onCapture()}>
                Capture from a VM
              </button>
            </li>
          </Show>
        </ul>
      </Show>
      <Show when={session.can('VM_Create')}>
        <p class="muted small">
          Or <A href="/vms/new">create a VM with a blank disk</A> and install an operating system yourself.
        </p>
      </Show>
    </div>
  );
}
