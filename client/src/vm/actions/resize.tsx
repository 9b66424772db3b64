import { createSignal } from 'solid-js';
import { Field, FormDialog } from '../../components/Field.tsx';
import { graphql } from '../../gql/index.ts';
import { request } from '../../lib/graphql.ts';
import { createSubmit } from '../../lib/form.ts';
import type { ActionDialog, DialogProps } from './types.ts';

const ResizeVmDocument = graphql(`
  mutation ResizeVm($id: ID!, $input: ResizeVmInput!) {
    resizeVm(id: $id, input: $input) {
      __typename
      ... on VmTaskPayload { vm { ...VmSummary } task { ...TaskFields } }
      ... on QuotaExceededError { resource }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

function ResizeDialog(props: DialogProps) {
  const [vcpus, setVcpus] = createSignal(String(props.vm.vcpus));
  const [memoryMb, setMemoryMb] = createSignal(String(props.vm.memoryMb));
  const [diskGb, setDiskGb] = createSignal(String(props.vm.diskGb));
  const form = createSubmit(['vcpus', 'memoryMb', 'diskGb']);
  const onSubmit = () => {
    void form.submit(
      async () => (await request(ResizeVmDocument, { id: props.vm.id, input: { vcpus: Number(vcpus()), memoryMb: Number(memoryMb()), diskGb: Number(diskGb()) } })).resizeVm,
      (r) => props.onStarted(r.task),
    );
  };
  return (
    <FormDialog title={`Resize ${props.vm.name}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Resize" disabled={form.busy()}>
      <p class="hint">A running VM restarts cleanly to take new vCPUs or memory. A disk only grows; the guest grows its root filesystem on the next boot.</p>
      <Field id="resize-vcpus" label="vCPUs" type="number" min={1} value={vcpus()} onInput={setVcpus} error={form.errors().vcpus} />
      <Field id="resize-memory" label="Memory (MiB)" type="number" min={128} value={memoryMb()} onInput={setMemoryMb} error={form.errors().memoryMb} />
      <Field id="resize-disk" label="Disk (GiB)" type="number" min={props.vm.diskGb} value={diskGb()} onInput={setDiskGb} error={form.errors().diskGb} />
    </FormDialog>
  );
}

export default { action: 'RESIZE', label: 'Resize', order: 1, notice: 'Resize asked. The steps follow below.', component: ResizeDialog } satisfies ActionDialog;
