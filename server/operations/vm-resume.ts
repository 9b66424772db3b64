import { z } from 'zod';
import { defineOperation } from './define.ts';

export const vmResume = defineOperation({
  name: 'vm.resume',
  steps: ['Resume'],
  privileges: ['VM.PowerMgmt'],
  from: ['paused'],
  needsOnlineHost: true,
  failure: 'keep',
  params: z.object({}),
  action: { action: 'RESUME', label: 'Resume', description: 'Resumes a paused VM', power: { mutation: 'resumeVm' } },
  run: (ctx) => ctx.step('Resume', () => ctx.hypervisor.resume(ctx.vm.id)),
});
