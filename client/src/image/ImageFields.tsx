import { Show } from 'solid-js';
import type { ImageInput, ImageKind, ImageVisibility } from '../gql/graphql.ts';
import type { FieldMessages } from '../lib/errors.ts';
import { createQuery } from '../lib/live.ts';
import { useSession } from '../lib/session.ts';
import { Checkbox, CheckboxSet, Field, Select } from '../components/Field.tsx';
import { ShareCandidatesDocument } from './documents.ts';

/** The fields an added image's error may name, as the forms show them. */
export const IMAGE_FIELDS = ['kind', 'name', 'osFamily', 'osVersion', 'defaultUser', 'minDiskGb', 'minMemoryMb', 'url', 'file'];

/** What an uploaded or imported image is called and how its guest is set up. */
export function ImageFields(props: { prefix: string; value: ImageInput; onChange: (v: ImageInput) => void; errors: FieldMessages }) {
  const set = (patch: Partial<ImageInput>) => props.onChange({ ...props.value, ...patch });
  return (
    <>
      <Select id={`${props.prefix}-kind`} label="Kind" value={props.value.kind ?? 'DISK'} onChange={(v) => set({ kind: v as ImageKind, ...(v === 'ISO' ? { cloudInit: false } : {}) })} error={props.errors.kind}>
        <option value="DISK">Disk image (qcow2 or raw): VMs are made from it</option>
        <option value="ISO">ISO (CD/DVD image): for a VM's CD-ROM or a manual install</option>
      </Select>
      <Field id={`${props.prefix}-name`} label="Name" value={props.value.name} onInput={(v) => set({ name: v })} error={props.errors.name} />
      <div class="row2">
        <Field id={`${props.prefix}-os`} label="OS family" placeholder="debian" value={props.value.osFamily ?? ''} onInput={(v) => set({ osFamily: v || undefined })} error={props.errors.osFamily} />
        <Field id={`${props.prefix}-version`} label="OS version" placeholder="12" value={props.value.osVersion ?? ''} onInput={(v) => set({ osVersion: v || undefined })} error={props.errors.osVersion} />
      </div>
      <Checkbox id={`${props.prefix}-cloudinit`} label="The guest runs cloud-init" checked={props.value.cloudInit ?? false} onChange={(v) => set({ cloudInit: v })} />
      <Field id={`${props.prefix}-user`} label="Default login user" placeholder="debian" value={props.value.defaultUser ?? ''} onInput={(v) => set({ defaultUser: v || undefined })} error={props.errors.defaultUser} />
    </>
  );
}

/**
 * Who sees an image: only its owner, chosen users (Image.Share) or everyone (Image.Manage), as
 * shareImage allows; the choices the viewer may not make are shown disabled with the privilege they need.
 */
export function VisibilityFields(props: {
  prefix: string;
  visibility: ImageVisibility;
  onVisibility: (v: ImageVisibility) => void;
  chosen: Set<string>;
  onChosen: (chosen: Set<string>) => void;
  /** Whom the image is shared with now (shown when the viewer may not list users). */
  sharedWith?: readonly { name: string }[];
}) {
  const session = useSession();
  const canListUsers = session.can('User_View') || session.can('User_Manage');
  const users = createQuery(ShareCandidatesDocument, () => (canListUsers && props.visibility === 'SHARED' ? {} : false));
  const candidates = () => users.data()?.users.edges.map((e) => e.node).filter((u) => u.id !== session.me().id) ?? [];
  const mayShare = () => session.can('Image_Share') || session.can('Image_Manage');
  return (
    <>
      <Select id={`${props.prefix}-visibility`} label="Who sees it" value={props.visibility} onChange={(v) => props.onVisibility(v as ImageVisibility)}>
        <option value="PRIVATE">Only me</option>
        <option value="SHARED" disabled={!mayShare()}>
          Me and chosen users{mayShare() ? '' : ' (needs Image.Share)'}
        </option>
        <option value="PUBLIC" disabled={!session.can('Image_Manage')}>
          Everyone{session.can('Image_Manage') ? '' : ' (needs Image.Manage)'}
        </option>
      </Select>
      <Show when={props.visibility === 'SHARED'}>
        <Show
          when={canListUsers}
          fallback={
            <fieldset>
              <legend>Users</legend>
              <p class="hint">You may not list users; the image stays shared with {props.sharedWith?.map((u) => u.name).join(', ') || 'nobody'}.</p>
            </fieldset>
          }
        >
          <CheckboxSet legend="Users" items={candidates()} id={(u) => `${props.prefix}-${u.id}`} value={(u) => u.id} label={(u) => `${u.name} (${u.email})`} chosen={props.chosen} onChange={props.onChosen} />
        </Show>
      </Show>
    </>
  );
}
