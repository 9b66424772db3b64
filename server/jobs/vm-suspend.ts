import type { Operation } from './operation.ts';

export const vmSuspend: Operation = {
  name: 'vm.suspend',
  run: (ctx) => ctx.step('Suspend', () => ctx.virsh.suspend(ctx.vm.id)),
};
