import type { Operation } from './operation.ts';

export const vmResume: Operation = {
  name: 'vm.resume',
  run: (ctx) => ctx.step('Resume', () => ctx.virsh.resume(ctx.vm.id)),
};
