import { z } from 'zod';
import { defineOperation } from './define.ts';

export const vmReset = defineOperation({
  name: 'vm.reset',
  steps: ['Reset'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'paused', 'crashed'],
  needsOnlineHost: true,
  failure: 'keep',
  during: 'rebooting',
  params: z.object({}),
  action: { action: 'RESET', label: 'Reset', description: 'Resets the VM at once, like the reset button', power: { mutation: 'resetVm' } },
  run: (ctx) => ctx.step('Reset', () => ctx.hypervisor.reset(ctx.vm.id)),
});
