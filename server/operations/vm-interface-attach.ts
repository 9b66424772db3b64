import { z } from 'zod';
import { defineOperation } from './define.ts';
import { refreshSeed } from './install.ts';
import { domainInterface, domainRuns, interfaceOf, redefine } from './vm-hardware.ts';

/** A NIC recorded by attachInterface: hot-plugged into the running VM, its pool address set in the guest through the agent. */
export const vmInterfaceAttach = defineOperation({
  name: 'vm.interface-attach',
  steps: ['Attach the interface', 'Configure the address in the guest'],
  privileges: ['VM.PowerMgmt'],
  from: ['running', 'stopped', 'paused', 'crashed'],
  needsOnlineHost: true,
  // What the run made goes: the NIC from the domain, its row and its address.
  failure: 'rollback',
  // Its row and address are taken when it is asked.
  cancellable: false,
  params: z.object({ interfaceId: z.uuid() }),
  action: { action: 'ATTACH_INTERFACE', label: 'Attach a network interface', description: 'Adds a network interface (hot-plugged while the VM runs), with an address from an IP pool when asked' },
  async run(ctx) {
    const row = await interfaceOf(ctx, ctx.params.interfaceId);
    if (!row) throw new Error('The interface is gone (detached meanwhile)');
    const nic = domainInterface(row);
    const running = await domainRuns(ctx);
    await ctx.step('Attach the interface', async (progress) => {
      if (running) {
        await ctx.hypervisor.attachInterfaceLive(ctx.vm.id, nic);
        await progress(50, `Hot-plugged ${nic.mac} on ${nic.network.kind} ${nic.network.name}`);
      }
      await redefine(ctx);
      await refreshSeed(ctx, running);
    });
    const cidr = row.cidrAddress;
    if (!cidr) return ctx.skip('Configure the address in the guest', 'No pool address: the guest asks by DHCP');
    if (!running) return ctx.skip('Configure the address in the guest', `The guest learns ${cidr} from cloud-init when it starts`);
    await ctx.step('Configure the address in the guest', async (progress) => {
      // Best effort: a guest without an agent learns it at its next boot; that is no failure.
      // A guest without an agent (or one still booting) is no failure; a host that fails is.
      const name = await guestNameOf(ctx, nic.mac).catch(unlessAgentSilent);
      if (!name) return progress(100, `The guest agent did not show the new interface: the guest learns ${cidr} from cloud-init at its next boot`);
      for (const args of [['link', 'set', 'dev', name, 'up'], ['addr', 'replace', cidr, 'dev', name]]) {
        const result = await ctx.hypervisor.guestExec(ctx.vm.id, '/sbin/ip', args).catch(unlessAgentSilent);
        if (!result || result.exitCode !== 0) return progress(100, `The guest could not set it now (ip ${args.join(' ')}: ${result ? result.stderr.trim() || result.exitCode : 'its agent stopped answering'}); it learns ${cidr} from cloud-init at its next boot`);
      }
      await progress(100, `${cidr} on ${name} in the guest`);
    });
  },
  async rollback(ctx) {
    const row = await interfaceOf(ctx, ctx.params.interfaceId);
    if (!row) return;
    if (await domainRuns(ctx)) await ctx.hypervisor.detachInterfaceLive(ctx.vm.id, domainInterface(row), 30_000);
    await redefine(ctx, { without: row.id });
    // Then its record goes, with the address it held, and the seed no longer lists it.
    await ctx.services.removeInterface(ctx.vm.id, row.id);
    await refreshSeed(ctx, await domainRuns(ctx));
  },
});

/** null for an agent that does not answer (absent, booting, busy); any other error is thrown. */
function unlessAgentSilent(error: unknown): null {
  if (error instanceof Error && /guest agent|agent command timed out|guest-exec.*still running/i.test(error.message)) return null;
  throw error;
}

/** The guest's name for the NIC with this MAC, once its agent sees it (a hot-plugged device takes a moment). */
async function guestNameOf(ctx: Parameters<typeof vmInterfaceAttach.run>[0], mac: string): Promise<string | null> {
  for (let i = 0; i < 20; i++) {
    const found = (await ctx.hypervisor.guestInterfaces(ctx.vm.id)).find((n) => n.mac === mac);
    if (found && /^[A-Za-z0-9._-]{1,15}$/.test(found.name)) return found.name;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return null;
}
