import type { Operation } from './operation.ts';

export const vmStart: Operation = {
  name: 'vm.start',
  run: (ctx) => ctx.step('Start the VM', () => ctx.virsh.start(ctx.vm.id)),
};
