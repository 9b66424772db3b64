// A VM's network interfaces and its CD-ROM and boot order (issue 21), on its page: each change
// starts a task the page shows live (onStarted); the lists are read again once the VM's tasks end.
import { createEffect, createSignal, For, on, Show } from 'solid-js';
import { Checkbox, Field, FormDialog, Options, Select } from '../components/Field.tsx';
import { Alert } from '../components/ui.tsx';
import { graphql } from '../gql/index.ts';
import type { BootDevice, VmHardwareQuery } from '../gql/graphql.ts';
import { createQuery } from '../lib/live.ts';
import { request } from '../lib/graphql.ts';
import { createSubmit } from '../lib/form.ts';
import type { Task } from './TaskLive.tsx';

const VmHardwareDocument = graphql(`
  query VmHardware($id: ID!) {
    node(id: $id) {
      ... on Vm {
        id
        bootOrder
        bootOnce
        isoPath
        cdrom { id name }
        interfaces { id position macAddress kind network address pool guestAddresses bandwidth { inbound { average peak burst } outbound { average peak burst } } }
        host { id ipPools { id name } libvirtNetworks }
      }
    }
    images(filter: { kind: ISO, status: READY }, first: 200) { edges { node { id name } } }
  }
`);

const AttachDocument = graphql(`
  mutation AttachVmInterface($vmId: ID!, $input: AttachVmInterfaceInput!) {
    attachVmInterface(vmId: $vmId, input: $input) {
      __typename
      ... on VmInterfacePayload { task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const DetachDocument = graphql(`
  mutation DetachVmInterface($vmId: ID!, $interfaceId: ID!) {
    detachVmInterface(vmId: $vmId, interfaceId: $interfaceId) {
      __typename
      ... on VmTaskPayload { task { ...TaskFields } }
      ... on Error { message }
    }
  }
`);

const BandwidthDocument = graphql(`
  mutation SetVmInterfaceBandwidth($vmId: ID!, $interfaceId: ID!, $input: InterfaceBandwidthInput!) {
    setVmInterfaceBandwidth(vmId: $vmId, interfaceId: $interfaceId, input: $input) {
      __typename
      ... on VmInterfacePayload { task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const MediaDocument = graphql(`
  mutation SetVmMedia($vmId: ID!, $imageId: ID) {
    setVmMedia(vmId: $vmId, imageId: $imageId) {
      __typename
      ... on VmTaskPayload { task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const BootDocument = graphql(`
  mutation SetVmBoot($vmId: ID!, $order: [BootDevice!]!, $once: Boolean) {
    setVmBoot(vmId: $vmId, order: $order, once: $once) {
      __typename
      ... on VmTaskPayload { task { ...TaskFields } }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

type Hardware = Extract<NonNullable<VmHardwareQuery['node']>, { bootOrder: unknown }>;
type Nic = Hardware['interfaces'][number];

const BOOT_LABELS: Record<BootDevice, string> = { DISK: 'Disk', CDROM: 'CD-ROM', NETWORK: 'Network (PXE)' };
/** The orders offered: the common ones, first device first. */
const BOOT_CHOICES: BootDevice[][] = [['DISK'], ['DISK', 'CDROM'], ['CDROM', 'DISK'], ['NETWORK', 'DISK'], ['DISK', 'NETWORK']];

const limitText = (l: { average: number; peak?: number | null } | null | undefined) => (l ? `${l.average} KiB/s${l.peak ? ` (peak ${l.peak})` : ''}` : 'no limit');

export default function VmHardware(props: { vmId: string; mayAct: boolean; busy: boolean; onStarted: (task: Task) => void }) {
  const query = createQuery(VmHardwareDocument, () => ({ id: props.vmId }));
  const hw = () => {
    const node = query.data()?.node;
    return node && 'bootOrder' in node ? (node as Hardware) : undefined;
  };
  // Read again when the VM's tasks end (an attach, a detach, a new medium).
  createEffect(on(() => props.busy, (busy, was) => was && !busy && void query.refetch(), { defer: true }));
  const [dialog, setDialog] = createSignal<'attach' | { limits: Nic }>();
  const [error, setError] = createSignal<string>();
  const started = (task: Task) => {
    setDialog(undefined);
    setError(undefined);
    props.onStarted(task);
  };
  const act = async (run: () => Promise<{ __typename?: string; message?: string; task?: Task }>) => {
    setError(undefined);
    const result: { message?: string; task?: Task } = await run().catch((e: Error) => ({ message: e.message }));
    if (result.task) started(result.task);
    else setError(result.message ?? 'The change was refused');
  };

  return (
    <Show when={hw()}>
      {(v) => (
        <>
          <div class="card" data-testid="vm-interfaces">
            <h2>Network interfaces</h2>
            <Alert message={error()} />
            <Show when={v().interfaces.length} fallback={<p class="muted">No network interface.</p>}>
              <div style={{ 'overflow-x': 'auto' }}>
              <table>
                <thead>
                  <tr><th>#</th><th>Network</th><th>MAC</th><th>Address</th><th>In the guest</th><th>Bandwidth</th><Show when={props.mayAct}><th /></Show></tr>
                </thead>
                <tbody>
                  <For each={v().interfaces}>
                    {(nic) => (
                      <tr data-testid="vm-interface">
                        <td>{nic.position}</td>
                        <td>{nic.kind === 'NETWORK' ? 'Network' : 'Bridge'} <span class="mono">{nic.network}</span></td>
                        <td class="mono">{nic.macAddress}</td>
                        <td>{nic.address ? <span class="mono">{nic.address}</span> : <span class="muted">DHCP</span>}<Show when={nic.pool}><span class="muted"> · {nic.pool}</span></Show></td>
                        <td class="mono">{nic.guestAddresses.join(', ') || '—'}</td>
                        <td>in {limitText(nic.bandwidth?.inbound)}, out {limitText(nic.bandwidth?.outbound)}</td>
                        <Show when={props.mayAct}>
                          <td>
                            <button type="button" class="secondary" onClick={() => setDialog({ limits: nic })}>Limits</button>{' '}
                            <button type="button" class="danger-outline" onClick={() => void act(async () => (await request(DetachDocument, { vmId: v().id, interfaceId: nic.id })).detachVmInterface as never)}>Detach</button>
                          </td>
                        </Show>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              </div>
            </Show>
            <Show when={props.mayAct}>
              <p><button type="button" class="secondary" onClick={() => setDialog('attach')}>Attach an interface</button></p>
            </Show>
          </div>

          <MediaAndBoot hw={v()} isos={query.data()?.images.edges.map((e) => e.node) ?? []} mayAct={props.mayAct} act={act} />

          <Show when={dialog() === 'attach'}>
            <AttachDialog hw={v()} onClose={() => setDialog(undefined)} onStarted={started} />
          </Show>
          <Show when={(() => { const d = dialog(); return typeof d === 'object' ? d.limits : undefined; })()}>
            {(nic) => <LimitsDialog vmId={v().id} nic={nic()} onClose={() => setDialog(undefined)} onStarted={started} />}
          </Show>
        </>
      )}
    </Show>
  );
}

function MediaAndBoot(props: { hw: Hardware; isos: Array<{ id: string; name: string }>; mayAct: boolean; act: (run: () => Promise<any>) => Promise<void> }) {
  const [iso, setIso] = createSignal(props.hw.cdrom?.id ?? '');
  const [order, setOrder] = createSignal(props.hw.bootOrder.join(','));
  const [once, setOnce] = createSignal(props.hw.bootOnce);
  createEffect(() => {
    setOrder(props.hw.bootOrder.join(','));
    setOnce(props.hw.bootOnce);
  });
  const hasMedium = () => !!props.hw.cdrom || !!props.hw.isoPath;
  return (
    <div class="card" data-testid="vm-cdrom">
      <h2>CD-ROM and boot</h2>
      <dl>
        <dt>CD-ROM</dt>
        <dd data-testid="vm-cdrom-medium">{props.hw.cdrom ? props.hw.cdrom.name : props.hw.isoPath ? `Host file ${props.hw.isoPath}` : <span class="muted">Empty</span>}</dd>
        <dt>Boots from</dt>
        <dd data-testid="vm-boot-order">{props.hw.bootOrder.map((d) => BOOT_LABELS[d]).join(', then ')}{props.hw.bootOnce ? ' · the CD-ROM once at its next start' : ''}</dd>
      </dl>
      <Show when={props.mayAct}>
        <Select id="vm-iso" label="ISO from the image library" value={iso()} onChange={setIso}>
          <Options choices={[['', '—'], ...props.isos.map((i): [string, string] => [i.id, i.name])]} />
        </Select>
        <p>
          <button type="button" class="secondary" disabled={!iso()} onClick={() => void props.act(async () => (await request(MediaDocument, { vmId: props.hw.id, imageId: iso() })).setVmMedia)}>Insert</button>{' '}
          <button type="button" class="secondary" disabled={!hasMedium()} onClick={() => void props.act(async () => (await request(MediaDocument, { vmId: props.hw.id, imageId: null })).setVmMedia)}>Eject</button>
        </p>
        <Select id="vm-boot" label="Boot order" value={order()} onChange={setOrder}>
          <Options choices={BOOT_CHOICES.map((c): [string, string] => [c.join(','), c.map((d) => BOOT_LABELS[d]).join(', then ')])} />
        </Select>
        <Checkbox id="vm-boot-once" label="Boot the CD-ROM once at the next start (rescue)" checked={once()} onChange={setOnce} />
        <p>
          <button type="button" class="secondary" onClick={() => void props.act(async () => (await request(BootDocument, { vmId: props.hw.id, order: order().split(',') as BootDevice[], once: once() })).setVmBoot)}>Save boot order</button>
        </p>
      </Show>
    </div>
  );
}

function AttachDialog(props: { hw: Hardware; onClose: () => void; onStarted: (task: Task) => void }) {
  const [kind, setKind] = createSignal<'network' | 'bridge'>('network');
  const [name, setName] = createSignal(props.hw.host?.libvirtNetworks[0] ?? '');
  const [pool, setPool] = createSignal('');
  const form = createSubmit(['network', 'bridge', 'ipPoolId']);
  const onSubmit = () => {
    const input = kind() === 'network' ? { network: name(), ipPoolId: pool() || null } : { bridge: name(), ipPoolId: pool() || null };
    void form.submit(async () => (await request(AttachDocument, { vmId: props.hw.id, input })).attachVmInterface, (r) => props.onStarted(r.task));
  };
  return (
    <FormDialog title="Attach a network interface" onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Attach" disabled={form.busy() || !name()}>
      <p class="hint">Hot-plugged while the VM runs. An address from a pool is set in the guest through its agent now, and by cloud-init at its next boot.</p>
      <Select id="attach-kind" label="Attach to" value={kind()} onChange={(k) => setKind(k as 'network' | 'bridge')}>
        <Options choices={[['network', 'A libvirt network'], ['bridge', 'A host bridge']]} />
      </Select>
      <Field id="attach-name" label={kind() === 'network' ? 'Network' : 'Bridge'} value={name()} onInput={setName} error={form.errors()[kind()]} />
      <Show when={props.hw.host}>
        <Select id="attach-pool" label="Address" value={pool()} onChange={setPool} error={form.errors().ipPoolId}>
          <Options choices={[['', 'By DHCP'], ...(props.hw.host?.ipPools ?? []).map((p): [string, string] => [p.id, `From IP pool ${p.name}`])]} />
        </Select>
      </Show>
    </FormDialog>
  );
}

function LimitsDialog(props: { vmId: string; nic: Nic; onClose: () => void; onStarted: (task: Task) => void }) {
  const text = (n: number | null | undefined) => (n ? String(n) : '');
  const [inAvg, setInAvg] = createSignal(text(props.nic.bandwidth?.inbound?.average));
  const [inPeak, setInPeak] = createSignal(text(props.nic.bandwidth?.inbound?.peak));
  const [outAvg, setOutAvg] = createSignal(text(props.nic.bandwidth?.outbound?.average));
  const [outPeak, setOutPeak] = createSignal(text(props.nic.bandwidth?.outbound?.peak));
  const form = createSubmit(['inbound.average', 'inbound.peak', 'outbound.average', 'outbound.peak']);
  const limit = (avg: string, peak: string) => (avg ? { average: Number(avg), peak: peak ? Number(peak) : null } : null);
  const onSubmit = () => {
    void form.submit(
      async () => (await request(BandwidthDocument, { vmId: props.vmId, interfaceId: props.nic.id, input: { inbound: limit(inAvg(), inPeak()), outbound: limit(outAvg(), outPeak()) } })).setVmInterfaceBandwidth,
      (r) => props.onStarted(r.task),
    );
  };
  return (
    <FormDialog title={`Bandwidth of ${props.nic.macAddress}`} onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Apply" disabled={form.busy()}>
      <p class="hint">KiB/s; empty: no limit. Applied to the running VM at once.</p>
      <Field id="bw-in-average" label="Inbound average (to the guest)" value={inAvg()} onInput={setInAvg} error={form.errors()['inbound.average']} />
      <Field id="bw-in-peak" label="Inbound peak" value={inPeak()} onInput={setInPeak} error={form.errors()['inbound.peak']} />
      <Field id="bw-out-average" label="Outbound average (from the guest)" value={outAvg()} onInput={setOutAvg} error={form.errors()['outbound.average']} />
      <Field id="bw-out-peak" label="Outbound peak" value={outPeak()} onInput={setOutPeak} error={form.errors()['outbound.peak']} />
    </FormDialog>
  );
}
