import { createResource, createSignal, For, Show } from 'solid-js';
import { Checkbox, Field, FormDialog, Select } from '../../components/Field.tsx';
import { graphql } from '../../gql/index.ts';
import type { MigrationTimeoutAction } from '../../gql/graphql.ts';
import { request } from '../../lib/graphql.ts';
import { createSubmit } from '../../lib/form.ts';
import { mib } from '../../lib/format.ts';
import type { ActionDialog, DialogProps } from './types.ts';

const MigrateTargetsDocument = graphql(`
  query MigrateTargets { hosts { id name status maintenance capacity { vcpus allocatableMemoryMb } allocation { vcpus memoryMb } } }
`);

const MigrateVmDocument = graphql(`
  mutation MigrateVm($id: ID!, $input: MigrateVmInput) {
    migrateVm(id: $id, input: $input) {
      __typename
      ... on MigrateVmPayload { reason vm { ...VmSummary } task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

/** The other hosts to move the VM to (a user without Host.View gets placement's choice only), with what each has free. */
function MigrateDialog(props: DialogProps) {
  const [hosts] = createResource(async () => (await request(MigrateTargetsDocument, {}).catch(() => ({ hosts: [] }))).hosts);
  const [target, setTarget] = createSignal('');
  const [bandwidth, setBandwidth] = createSignal('');
  const [downtime, setDowntime] = createSignal('');
  const [autoConverge, setAutoConverge] = createSignal(false);
  const [onTimeout, setOnTimeout] = createSignal<MigrationTimeoutAction>('ABORT');
  const form = createSubmit(['targetHostId', 'bandwidthMiBs', 'maxDowntimeMs', 'timeoutSeconds']);
  const others = () => (hosts() ?? []).filter((h) => h.id !== props.vm.host?.id);
  const onSubmit = () => {
    const input = {
      targetHostId: target() || null,
      bandwidthMiBs: bandwidth() ? Number(bandwidth()) : null,
      maxDowntimeMs: downtime() ? Number(downtime()) : null,
      autoConverge: autoConverge(),
      onTimeout: onTimeout(),
    };
    void form.submit(async () => (await request(MigrateVmDocument, { id: props.vm.id, input })).migrateVm, (r) => props.onStarted(r.task));
  };
  const running = () => props.vm.state === 'RUNNING' || props.vm.state === 'PAUSED';
  return (
    <FormDialog title={`Migrate ${props.vm.name}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Migrate" disabled={form.busy()}>
      <p class="hint">
        {running()
          ? 'A running VM moves live: it keeps running, paused only for a moment at the switch-over. Its disks are copied while it runs unless both hosts share them.'
          : 'A stopped VM moves cold: its disks are copied and its domain is defined on the other host.'}
      </p>
      <Select id="migrate-target" label="Target host" value={target()} onChange={setTarget} error={form.errors().targetHostId}>
        <option value="">The host with the most free memory that can take it</option>
        <For each={others()}>
          {(h) => (
            <option value={h.id} disabled={h.status !== 'ONLINE' || h.maintenance}>
              {h.name} — {h.maintenance ? 'in maintenance' : h.status !== 'ONLINE' ? h.status.toLowerCase() : `${mib(h.capacity.allocatableMemoryMb - h.allocation.memoryMb)} and ${h.capacity.vcpus - h.allocation.vcpus} vCPUs free`}
            </option>
          )}
        </For>
      </Select>
      <Show when={running()}>
        <div class="row2">
          <Field id="migrate-bandwidth" label="Bandwidth limit (MiB/s)" type="number" min={1} placeholder="No limit" value={bandwidth()} onInput={setBandwidth} error={form.errors().bandwidthMiBs} />
          <Field id="migrate-downtime" label="Longest pause (ms)" type="number" min={10} placeholder="300" value={downtime()} onInput={setDowntime} error={form.errors().maxDowntimeMs} />
        </div>
        <Checkbox id="migrate-converge" label="Slow the guest down if its memory changes faster than it can be copied (auto-converge)" checked={autoConverge()} onChange={setAutoConverge} />
        <Select id="migrate-timeout" label="If it has not finished within an hour" value={onTimeout()} onChange={(v) => setOnTimeout(v as MigrationTimeoutAction)}>
          <option value="ABORT">Abort: the VM keeps running here</option>
          <option value="PAUSE">Pause the guest so that it finishes</option>
        </Select>
      </Show>
    </FormDialog>
  );
}

export default { action: 'MIGRATE', label: 'Migrate', order: 5, notice: 'Migration asked. The steps follow below.', component: MigrateDialog } satisfies ActionDialog;
