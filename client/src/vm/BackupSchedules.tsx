// A VM's backup schedules (those that name it or its tags): when they run next, what they keep,
// what their last run did; and the schedule editor with a live retention preview of this VM's
// backups on the chosen target (which would be kept, and why; which pruned).
import { createResource, createSignal, For, Show } from 'solid-js';
import { Checkbox, Field, FormDialog, Select } from '../components/Field.tsx';
import { Alert, Badge, Notice } from '../components/ui.tsx';
import { graphql } from '../gql/index.ts';
import type { ScheduleFieldsFragment } from '../gql/graphql.ts';
import { when } from '../lib/format.ts';
import { createSubmit } from '../lib/form.ts';
import { request } from '../lib/graphql.ts';
import { createQuery } from '../lib/live.ts';

const ScheduleFields = graphql(`
  fragment ScheduleFields on BackupSchedule {
    id name cron timezone enabled chainCap tag
    vms { id }
    target { id name }
    retention { keepLast keepDaily keepWeekly keepMonthly }
    nextRuns(count: 3)
    lastRun { startedAt finishedAt skipped prunedCount vms { vmId vmName status reason } }
  }
`);

const SchedulesDocument = graphql(`
  query VmBackupSchedules($id: ID!) {
    node(id: $id) { ... on Vm { id tags } }
    backupSchedules { ...ScheduleFields }
    backupTargets { id name }
  }
`);

const SaveScheduleDocument = graphql(`
  mutation CreateBackupSchedule($input: BackupScheduleInput!) {
    createBackupSchedule(input: $input) {
      __typename
      ... on BackupSchedule { ...ScheduleFields }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const UpdateScheduleDocument = graphql(`
  mutation UpdateBackupSchedule($id: ID!, $input: BackupScheduleInput!) {
    updateBackupSchedule(id: $id, input: $input) {
      __typename
      ... on BackupSchedule { ...ScheduleFields }
      ... on Error { message }
      ... on ValidationError { fieldErrors { path message } }
    }
  }
`);

const DeleteScheduleDocument = graphql(`
  mutation DeleteBackupSchedule($id: ID!) { deleteBackupSchedule(id: $id) { __typename ... on Error { message } } }
`);

const RunScheduleDocument = graphql(`
  mutation RunBackupScheduleNow($id: ID!) { runBackupScheduleNow(id: $id) { __typename ... on Error { message } } }
`);

const RetentionPreviewDocument = graphql(`
  query BackupRetentionPreview($vmId: ID!, $targetId: ID!, $retention: BackupRetentionInput!, $timezone: String, $scheduleId: ID) {
    backupRetentionPreview(vmId: $vmId, targetId: $targetId, retention: $retention, timezone: $timezone, scheduleId: $scheduleId) {
      __typename
      ... on QueryBackupRetentionPreviewSuccess { data { keep reason backup { id kind createdAt } } }
      ... on Error { message }
    }
  }
`);

type Schedule = ScheduleFieldsFragment;

function retentionText(r: Schedule['retention']): string {
  const parts = [
    r.keepLast && `last ${r.keepLast}`,
    r.keepDaily && `${r.keepDaily} daily`,
    r.keepWeekly && `${r.keepWeekly} weekly`,
    r.keepMonthly && `${r.keepMonthly} monthly`,
  ].filter(Boolean);
  return `Keeps ${parts.join(', ')}`;
}

export function BackupSchedules(props: { vm: { id: string; name: string }; mayAct: boolean }) {
  const query = createQuery(SchedulesDocument, () => ({ id: props.vm.id }));
  const tags = () => {
    const node = query.data()?.node;
    return node && 'tags' in node ? node.tags : [];
  };
  const mine = () => (query.data()?.backupSchedules ?? []).filter((s) => s.vms.some((v) => v.id === props.vm.id) || (s.tag !== null && tags().includes(s.tag)));
  const [editing, setEditing] = createSignal<Schedule | 'new'>();
  const [message, setMessage] = createSignal<string>();

  const act = async (run: () => Promise<{ __typename: string; message?: string }>, done: string) => {
    const r = await run();
    setMessage(r.__typename === 'BackupSchedule' ? done : (r.message ?? 'Refused'));
    void query.refetch();
  };

  return (
    <section aria-label="Backup schedules">
      <h3>Schedules</h3>
      <Notice message={message()} />
      <For each={mine()} fallback={<p class="hint">No schedule backs this VM up.</p>}>
        {(s) => (
          <article class="card" data-testid="backup-schedule">
            <header class="actionbar">
              <strong>{s.name}</strong> <Badge state={s.enabled ? 'ENABLED' : 'DISABLED'} label={s.enabled ? 'On' : 'Off'} />
              <span class="hint">
                <code>{s.cron}</code> ({s.timezone}) to {s.target.name}
              </span>
            </header>
            <p class="hint">
              {retentionText(s.retention)}; a new full backup after {s.chainCap} in a chain.{' '}
              <Show when={s.nextRuns.length} fallback="Not scheduled while off.">
                Next: {s.nextRuns.map((d) => when(d)).join(', ')}
              </Show>
            </p>
            <Show when={s.lastRun}>
              {(r) => (
                <p class="hint" data-testid="schedule-last-run">
                  Last run {when(r().startedAt)}: {r().skipped ?? r().vms.map((v) => `${v.vmName || 'a VM'} ${v.status.toLowerCase().replace('_', ' ')}${v.reason ? ` (${v.reason})` : ''}`).join('; ')}
                  {r().prunedCount ? `; ${r().prunedCount} pruned` : ''}
                </p>
              )}
            </Show>
            <Show when={props.mayAct}>
              <div class="actionbar">
                <button type="button" class="secondary" onClick={() => void act(async () => (await request(RunScheduleDocument, { id: s.id })).runBackupScheduleNow, 'Run asked: its last run shows what it did')}>
                  Run now
                </button>
                <button type="button" class="secondary" onClick={() => setEditing(s)}>
                  Edit…
                </button>
                <button type="button" class="danger-outline" onClick={() => void act(async () => (await request(DeleteScheduleDocument, { id: s.id })).deleteBackupSchedule, 'Schedule deleted; its backups stay')}>
                  Delete
                </button>
              </div>
            </Show>
          </article>
        )}
      </For>
      <Show when={props.mayAct}>
        <button type="button" class="secondary" onClick={() => setEditing('new')} disabled={!(query.data()?.backupTargets.length ?? 0)}>
          New schedule…
        </button>
      </Show>
      <Show when={editing()}>
        {(e) => (
          <ScheduleDialog
            vm={props.vm}
            schedule={e() === 'new' ? null : (e() as Schedule)}
            targets={query.data()?.backupTargets ?? []}
            onClose={() => setEditing(undefined)}
            onSaved={() => {
              setEditing(undefined);
              setMessage('Schedule saved');
              void query.refetch();
            }}
          />
        )}
      </Show>
    </section>
  );
}

function ScheduleDialog(props: { vm: { id: string; name: string }; schedule: Schedule | null; targets: { id: string; name: string }[]; onClose: () => void; onSaved: () => void }) {
  const s = props.schedule;
  const [name, setName] = createSignal(s?.name ?? `${props.vm.name} nightly`);
  const [targetId, setTargetId] = createSignal(s?.target.id ?? props.targets[0]?.id ?? '');
  const [cron, setCron] = createSignal(s?.cron ?? '0 2 * * *');
  const [timezone, setTimezone] = createSignal(s?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'UTC');
  const [chainCap, setChainCap] = createSignal(String(s?.chainCap ?? 14));
  const [keep, setKeep] = createSignal({ keepLast: s?.retention.keepLast ?? 3, keepDaily: s?.retention.keepDaily ?? 7, keepWeekly: s?.retention.keepWeekly ?? 4, keepMonthly: s?.retention.keepMonthly ?? 6 });
  const [enabled, setEnabled] = createSignal(s?.enabled ?? true);
  const form = createSubmit(['name', 'targetId', 'cron', 'timezone', 'chainCap', 'keepLast', 'keepDaily', 'keepWeekly', 'keepMonthly']);
  const count = (key: keyof ReturnType<typeof keep>) => (value: string) => setKeep((k) => ({ ...k, [key]: Math.max(0, Math.floor(Number(value) || 0)) }));
  // The preview follows the policy as it is typed.
  const [preview] = createResource(
    () => (targetId() ? { vmId: props.vm.id, targetId: targetId(), retention: keep(), timezone: timezone(), scheduleId: s?.id ?? null } : false),
    async (v) => (await request(RetentionPreviewDocument, v).catch(() => null))?.backupRetentionPreview ?? null,
  );
  const onSubmit = () => {
    const input = { name: name(), targetId: targetId(), cron: cron(), timezone: timezone(), chainCap: Number(chainCap()), retention: keep(), enabled: enabled(), ...(s ? {} : { vmIds: [props.vm.id] }) };
    void form.submit(
      async () => (s ? (await request(UpdateScheduleDocument, { id: s.id, input })).updateBackupSchedule : (await request(SaveScheduleDocument, { input })).createBackupSchedule),
      () => props.onSaved(),
    );
  };
  return (
    <FormDialog title={s ? `Edit the schedule ${s.name}` : `New backup schedule for ${props.vm.name}`} wide onClose={props.onClose} onSubmit={onSubmit} error={form.error()} submit="Save" disabled={form.busy()}>
      <Field id="schedule-name" label="Name" value={name()} onInput={setName} error={form.errors().name} />
      <Select id="schedule-target" label="Target" value={targetId()} onChange={setTargetId} error={form.errors().targetId}>
        <For each={props.targets}>{(t) => <option value={t.id}>{t.name}</option>}</For>
      </Select>
      <Field id="schedule-cron" label="When (cron)" hint="minute hour day-of-month month day-of-week; 0 2 * * * is every night at 02:00" value={cron()} onInput={setCron} error={form.errors().cron} />
      <Field id="schedule-timezone" label="Time zone" value={timezone()} onInput={setTimezone} error={form.errors().timezone} />
      <Field id="schedule-chain" label="Backups per chain" type="number" min={1} hint="A full backup, then incrementals; the next after this many is full again" value={chainCap()} onInput={setChainCap} error={form.errors().chainCap} />
      <fieldset>
        <legend>Retention</legend>
        <Field id="keep-last" label="Keep the last" type="number" min={0} value={keep().keepLast} onInput={count('keepLast')} error={form.errors().keepLast} />
        <Field id="keep-daily" label="Daily" type="number" min={0} value={keep().keepDaily} onInput={count('keepDaily')} error={form.errors().keepDaily} />
        <Field id="keep-weekly" label="Weekly" type="number" min={0} value={keep().keepWeekly} onInput={count('keepWeekly')} error={form.errors().keepWeekly} />
        <Field id="keep-monthly" label="Monthly" type="number" min={0} value={keep().keepMonthly} onInput={count('keepMonthly')} error={form.errors().keepMonthly} />
      </fieldset>
      <Checkbox id="schedule-enabled" label="On" checked={enabled()} onChange={setEnabled} />
      <section aria-label="Retention preview">
        <h4>What this keeps of {props.vm.name}&rsquo;s backups on this target</h4>
        <Show when={preview()} fallback={<p class="hint">No backups to judge yet.</p>}>
          {(p) => (
            <Show when={p().__typename === 'QueryBackupRetentionPreviewSuccess' && 'data' in p() ? (p() as { data: { keep: boolean; reason: string; backup: { id: string; kind: string; createdAt: string } }[] }).data : null} fallback={<Alert message={'message' in p() ? (p() as { message: string }).message : undefined} />}>
              {(entries) => (
                <ul class="plain" data-testid="retention-preview">
                  <For each={entries()} fallback={<li class="hint">No backups to judge yet.</li>}>
                    {(e) => (
                      <li>
                        <Badge state={e.keep ? 'READY' : 'FAILED'} label={e.keep ? 'Kept' : 'Pruned'} /> {when(e.backup.createdAt)} {e.backup.kind.toLowerCase()}: <span class="hint">{e.reason}</span>
                      </li>
                    )}
                  </For>
                </ul>
              )}
            </Show>
          )}
        </Show>
      </section>
    </FormDialog>
  );
}
