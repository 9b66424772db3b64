import type { Operation } from './operation.ts';

export const vmReboot: Operation = {
  name: 'vm.reboot',
  run: (ctx) => ctx.step('Reboot', () => ctx.virsh.reboot(ctx.vm.id)),
};
