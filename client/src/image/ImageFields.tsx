import type { ImageInput } from '../gql/graphql.ts';
import type { FieldMessages } from '../lib/errors.ts';
import { Checkbox, Field } from '../components/Field.tsx';

/** The fields an added image's error may name, as the forms show them. */
export const IMAGE_FIELDS = ['name', 'osFamily', 'osVersion', 'defaultUser', 'minDiskGb', 'minMemoryMb', 'url', 'file'];

/** What an uploaded or imported image is called and how its guest is set up. */
export function ImageFields(props: { prefix: string; value: ImageInput; onChange: (v: ImageInput) => void; errors: FieldMessages }) {
  const set = (patch: Partial<ImageInput>) => props.onChange({ ...props.value, ...patch });
  return (
    <>
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
