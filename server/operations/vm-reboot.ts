import { z } from 'zod';
import { defineOperation } from './define.ts';

export const vmReboot = defineOperation({
  name: 'vm.reboot',
  steps: ['Reboot'],
  privileges: ['VM.PowerMgmt'],
  from: ['running'],
  needsOnlineHost: true,
  failure: 'keep',
  during: 'rebooting',
  params: z.object({}),
  action: { action: 'REBOOT', label: 'Reboot', description: 'Asks the guest to reboot', power: { mutation: 'rebootVm' } },
  run: (ctx) => ctx.step('Reboot', () => ctx.hypervisor.reboot(ctx.vm.id)),
});
