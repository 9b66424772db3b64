import type { Operation } from './operation.ts';

export const vmReset: Operation = {
  name: 'vm.reset',
  run: (ctx) => ctx.step('Reset', () => ctx.virsh.reset(ctx.vm.id)),
};
