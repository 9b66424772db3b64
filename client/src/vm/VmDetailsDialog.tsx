// Renaming a VM and changing its description and tags: no task, the VM row only.
import { createSignal } from 'solid-js';
import { Field, FormDialog, TextArea } from '../components/Field.tsx';
import { graphql } from '../gql/index.ts';
import type { VmSummaryFragment } from '../gql/graphql.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';

const UpdateVmDetailsDocument = graphql(`
  mutation UpdateVmDetails($id: ID!, $input: UpdateVmDetailsInput!) {
    updateVmDetails(id: $id, input: $input) {
      __typename
      ... on Vm { ...VmSummary description }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

export type SavedVm = VmSummaryFragment & { description: string };

/** Tags as a person types them: separated by commas or spaces. */
export function tagsOf(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function VmDetailsDialog(props: { vm: { id: string; name: string; description: string; tags: string[] }; onClose: () => void; onSaved: (vm: SavedVm) => void }) {
  const [name, setName] = createSignal(props.vm.name);
  const [description, setDescription] = createSignal(props.vm.description);
  const [tags, setTags] = createSignal(props.vm.tags.join(', '));
  const form = createSubmit(['name', 'description', 'tags']);
  const onSubmit = () => {
    void form.submit(
      async () => (await request(UpdateVmDetailsDocument, { id: props.vm.id, input: { name: name(), description: description(), tags: tagsOf(tags()) } })).updateVmDetails,
      (vm) => props.onSaved(vm as SavedVm),
    );
  };
  return (
    <FormDialog title={`Rename / details of ${props.vm.name}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Save" disabled={form.busy()}>
      <Field id="details-name" label="Name" value={name()} onInput={setName} error={form.errors().name} />
      <TextArea id="details-description" label="Description" value={description()} onInput={setDescription} error={form.errors().description} />
      <Field id="details-tags" label="Tags" hint="Lowercase words joined by dashes, separated by commas (e.g. web, prod-eu); at most 20" value={tags()} onInput={setTags} error={form.errors().tags} />
    </FormDialog>
  );
}
