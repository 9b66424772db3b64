import type { Operation } from './operation.ts';

/** Pulls the plug (virsh destroy): immediate, the guest gets no say. */
export const vmStop: Operation = {
  name: 'vm.stop',
  run: (ctx) => ctx.step('Power off', () => ctx.virsh.destroy(ctx.vm.id)),
};
