import { GuestAgent } from '../hypervisor/guest-agent.ts';
import { guestConfigOf } from './install.ts';
import type { Operation } from './operation.ts';

/** Sets the login user's password through the guest agent (the hash only ever leaves Hangar). */
export const vmPassword: Operation = {
  name: 'vm.password',
  async run(ctx) {
    const hash = ctx.task.params.passwordHash;
    if (typeof hash !== 'string') throw new Error('No password hash in the task');
    const user = guestConfigOf(ctx).user;
    await ctx.step('Set the password', () => new GuestAgent(ctx.virsh, ctx.vm.id).setUserPassword(user, hash));
  },
};
