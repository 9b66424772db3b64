import { z } from 'zod';
import { defineOperation } from './define.ts';
import { guestConfigOf } from './install.ts';

/** Sets the login user's password through the guest agent (the hash only ever leaves Hangar). */
export const vmPassword = defineOperation({
  name: 'vm.password',
  steps: ['Set the password'],
  privileges: ['VM.PowerMgmt'],
  // Its guest agent sets it.
  from: ['running'],
  needsOnlineHost: true,
  failure: 'keep',
  cancellable: false,
  refuses: (vm) => (vm.guest_config ? null : 'The VM was not deployed from an image: Hangar does not know its login user'),
  params: z.object({ passwordHash: z.string().min(1) }),
  action: { action: 'PASSWORD', label: 'Password', description: 'Sets the login user\u2019s password through the guest agent' },
  async run(ctx) {
    const user = guestConfigOf(ctx).user;
    await ctx.step('Set the password', () => ctx.hypervisor.setGuestPassword(ctx.vm.id, user, ctx.params.passwordHash));
  },
});
