import { NoCapacityError, QuotaExceededError } from '../errors.ts';
import { cloneVm } from '../services/vm-clone.ts';
import { builder } from './builder.ts';
import { idOf } from './errors.ts';
import { VmTaskPayload } from './vm.ts';

const CloneVmInput = builder.inputType('CloneVmInput', {
  fields: (t) => ({
    name: t.string({ required: true, description: 'The same rules as createVm\u2019s name', validate: { maxLength: 200 } }),
    hostId: t.id({ description: 'Another host for the clone (administrators of hosts); absent: the source\u2019s host' }),
    full: t.boolean({ description: 'A standalone copy instead of an overlay on the cached image (always so on another host)' }),
    start: t.boolean({ description: 'Start the clone when it is made (default true)' }),
  }),
});

builder.mutationFields((t) => ({
  cloneVm: t.field({
    type: VmTaskPayload,
    errors: { types: [QuotaExceededError, NoCapacityError] },
    description:
      'Copies a VM you may act on to a new VM of yours with a fresh identity (name, MAC, address, hostname, SSH host keys, machine-id); a running VM is copied consistently (its file systems frozen through the guest agent, paused for the copy of its own layer)',
    authScopes: { privilege: 'VM.Create' },
    extensions: { auditCreates: 'Vm' },
    args: { id: t.arg.id({ required: true, description: 'The VM to clone' }), input: t.arg({ type: CloneVmInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      cloneVm(ctx, idOf(String(id), 'Vm'), {
        name: input.name,
        hostId: input.hostId ? idOf(String(input.hostId), 'Host', 'hostId') : null,
        full: input.full ?? undefined,
        start: input.start ?? undefined,
      }),
  }),
}));
