// Every operation against a host in memory (test/support/fake-hypervisor.ts): its steps run in
// order, a failure at any step fails it there and leaves what its policy says (rolled back: nothing
// it made is left on the host), and running it twice leaves the host as running it once.
// Also: the registry and everything derived from it agree with the operation files.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { generatedRegistry, GENERATED } from '../../scripts/gen-operations.ts';
import { VM_STATES, type ImageOperation, type Operation, type VmState } from '../../server/operations/define.ts';
import { ALL_OPERATIONS } from '../../server/operations/registry.generated.ts';
import { cancellableWhileQueued, cancellableWhileRunning, isImageOperation, OPERATIONS, POWER_OPERATIONS, STEPS, stateRefusal } from '../../server/operations/registry.ts';
import { ALL_PRIVILEGES } from '../../server/services/privileges.ts';
import { diskVolumeName, seedVolumeName } from '../../server/operations/volumes.ts';
import { DISK_POOL, OperationBench } from '../support/operation-harness.ts';

/** Steps that run beside others (the seed is written while the image is cached and the disk made). */
const CONCURRENT = new Set(['Write the cloud-init seed']);

/** The state each operation is tried from, and its parameters. */
function setupOf(operation: Operation | ImageOperation): { state: VmState; params: (bench: OperationBench) => Record<string, unknown> } {
  const state = isImageOperation(operation) ? 'running' : (['running', 'paused', 'stopped', 'creating'] as const).find((s) => operation.from.includes(s))!;
  const params: Record<string, (bench: OperationBench) => Record<string, unknown>> = {
    'vm.deploy': (b) => ({ imageId: b.image.id, address: '10.0.0.5' }),
    'vm.reinstall': (b) => ({ imageId: b.image.id, address: null }),
    'vm.resize': () => ({ vcpus: 2, memoryMb: 512, diskGb: 8 }),
    'vm.password': () => ({ passwordHash: '$6$new$hash' }),
    'vm.capture': () => ({ imageId: '00000000-0000-4000-8000-000000000001' }),
    'image.import': () => ({ imageId: '00000000-0000-4000-8000-000000000003', url: 'https://images.example/debian.qcow2' }),
    'vm.migrate': (b) => ({ targetHostId: b.peerHost.id }),
    'vm.disk-attach': (b) => ({ diskId: b.unplugDisk().id, sizeGiB: 1, bus: 'virtio' }),
    'vm.disk-detach': (b) => ({ diskId: b.disks[1].id, deleteVolume: true }),
    'vm.disk-resize': (b) => ({ diskId: b.disks[1].id, sizeGiB: 2 }),
    'vm.disk-limits': (b) => ({ diskId: b.disks[1].id }),
    'vm.backup': (b) => ({ backupId: b.backups.add(b.vm.id, 'queued').id }),
    'vm.restore': (b) => ({ backupId: b.backups.add(b.vm.id, 'ready').id }),
    'vm.restore-new': (b) => ({ backupId: b.backups.add(b.vm.id, 'ready').id }),
    // The clone is the bench's VM (creating) on the peer: every step runs (copy, flatten, send, seed, define, agent).
    'vm.clone': (b) => {
      b.vm.host_id = b.peerHost.id;
      return { sourceVmId: b.addSourceVm().id };
    },
    'vm.snapshot-create': () => ({ snapshotId: '00000000-0000-4000-8000-000000000004' }),
    'vm.snapshot-revert': (b) => ({ snapshotId: b.withSnapshot() }),
    'vm.snapshot-delete': (b) => ({ snapshotId: b.withSnapshot() }),
    'vm.interface-attach': (b) => ({ interfaceId: b.addInterface() }),
    'vm.interface-detach': (b) => ({ interfaceId: b.addInterface() }),
    'vm.interface-tune': (b) => ({ interfaceId: b.addInterface() }),
    'vm.media': () => ({ imageId: null }),
    'vm.boot': () => ({ order: ['cdrom', 'hd'], once: false }),
  };
  return { state, params: params[operation.name] ?? (() => ({})) };
}

function bench(operation: Operation | ImageOperation): { bench: OperationBench; params: Record<string, unknown> } {
  const { state, params } = setupOf(operation);
  const b = new OperationBench(state);
  return { bench: b, params: params(b) };
}

/**
 * After a migration, whatever happened: one domain of the VM on one of the two hosts, its volumes
 * only there, and the VM's row naming that host.
 */
function assertOneCopy(b: OperationBench): void {
  const holders = [b.hypervisor, b.peer].filter((h) => h.domains.has(b.vm.id));
  assert.equal(holders.length, 1, `one copy of the domain (${holders.map((h) => h.uri).join(', ') || 'none'})`);
  const other = holders[0] === b.hypervisor ? b.peer : b.hypervisor;
  assert.deepEqual([...other.pools.get(DISK_POOL)!.keys()].filter((n) => n.startsWith(b.vm.id)), [], `no volume of the VM left on ${other.uri}`);
  assert.ok([...holders[0].pools.get(DISK_POOL)!.keys()].some((n) => n.startsWith(b.vm.id)), 'its disk is where it runs');
  assert.equal(b.vmHostId, holders[0] === b.hypervisor ? b.host.id : b.peerHost.id, 'the VM row names the host it is on');
}

/** What an operation made: domains, the VM disk pool's volumes (cached images are kept on purpose), files coming into the store. */
const made = (b: OperationBench) => ({ domains: Object.keys(b.hypervisor.snapshot().domains).sort(), disks: Object.keys(b.hypervisor.snapshot().pools[DISK_POOL]!).sort(), incoming: b.incoming() });

describe('the registry', () => {
  test('registry.generated.ts lists every operation file (npm run codegen writes it)', () => {
    assert.equal(readFileSync(GENERATED, 'utf8'), generatedRegistry());
  });

  test('names, steps, privileges, states and actions are well formed and unique', () => {
    assert.equal(new Set(ALL_OPERATIONS.map((o) => o.name)).size, ALL_OPERATIONS.length);
    const vmOperations = (ALL_OPERATIONS as readonly (Operation | ImageOperation)[]).filter((o): o is Operation => !isImageOperation(o));
    assert.equal(new Set(vmOperations.map((o) => o.action.action)).size, vmOperations.length);
    assert.equal(new Set(POWER_OPERATIONS.map((o) => o.action.power.mutation)).size, POWER_OPERATIONS.length);
    for (const o of ALL_OPERATIONS as readonly (Operation | ImageOperation)[]) {
      assert.ok(o.steps.length > 0, o.name);
      assert.equal(new Set(o.steps).size, o.steps.length, `${o.name} has a step twice`);
      assert.deepEqual(STEPS[o.name as keyof typeof STEPS], o.steps);
      assert.equal(OPERATIONS[o.name as keyof typeof OPERATIONS], o);
      for (const p of o.privileges) assert.ok((ALL_PRIVILEGES as string[]).includes(p), `${o.name}: unknown privilege ${p}`);
      if (!isImageOperation(o)) for (const s of o.from) assert.ok(VM_STATES.includes(s), `${o.name}: unknown state ${s}`);
      assert.ok(o.failure !== 'rollback' || o.rollback, `${o.name} is rolled back on failure but has no rollback`);
    }
  });

  test('a power action shows its transitional state from the moment it is queued, one it cannot start from again', () => {
    const during = Object.fromEntries(POWER_OPERATIONS.filter((o) => 'during' in o && o.during).map((o) => [o.name, (o as Operation).during]));
    assert.deepEqual(during, { 'vm.start': 'starting', 'vm.shutdown': 'stopping', 'vm.stop': 'stopping', 'vm.reboot': 'rebooting', 'vm.reset': 'rebooting' });
    for (const o of [...(POWER_OPERATIONS as readonly Operation[]), OPERATIONS['vm.delete'] as Operation]) {
      if (!o.during) continue;
      assert.ok(VM_STATES.includes(o.during), `${o.name}: unknown state ${o.during}`);
      // Asked twice, the second is refused while the first is queued (a power-off may still follow a shutdown).
      if (o.name !== 'vm.stop') assert.ok(!o.from.includes(o.during), `${o.name} starts from its own transitional state`);
    }
  });

  test('only a deploy, a blank create, a clone, an import, a migration, a backup, a restore as a new VM and a disk attach may be cancelled while they run (a power action that has started finishes)', () => {
    const cancellable = (ALL_OPERATIONS as readonly (Operation | ImageOperation)[]).filter((o) => cancellableWhileRunning(o)).map((o) => o.name);
    assert.deepEqual(cancellable.sort(), ['image.import', 'vm.backup', 'vm.clone', 'vm.create', 'vm.deploy', 'vm.disk-attach', 'vm.migrate', 'vm.restore-new']);
    // Asking for these changed the VM's record at once (sizes, image, password): not even a queued one.
    const never = (ALL_OPERATIONS as readonly (Operation | ImageOperation)[]).filter((o) => !cancellableWhileQueued(o)).map((o) => o.name);
    assert.deepEqual(never.sort(), ['vm.boot', 'vm.disk-detach', 'vm.disk-limits', 'vm.disk-resize', 'vm.interface-attach', 'vm.interface-tune', 'vm.media', 'vm.password', 'vm.reinstall', 'vm.resize', 'vm.restore', 'vm.snapshot-create', 'vm.snapshot-delete']);
  });

  test('a state an operation does not start from is refused with the reason', () => {
    assert.equal(stateRefusal(OPERATIONS['vm.start'], 'stopped'), null);
    assert.equal(stateRefusal(OPERATIONS['vm.start'], 'running'), 'Start is not possible while the VM is running');
    assert.equal(stateRefusal(OPERATIONS['vm.resume'], 'stopped'), 'Resume is not possible while the VM is stopped');
    assert.match(stateRefusal(OPERATIONS['vm.delete'], 'deleting')!, /being deleted/);
  });
});

for (const operation of ALL_OPERATIONS as readonly (Operation | ImageOperation)[]) {
  describe(operation.name, () => {
    test('runs its steps in order and ends each one done or skipped', async () => {
      const { bench: b, params } = bench(operation);
      const failure = await b.run(operation, params);
      assert.equal(failure, null, failure?.error.message ?? "");
      const order = b.startOrder().filter((s) => !CONCURRENT.has(s));
      const declared = operation.steps.filter((s) => !CONCURRENT.has(s));
      assert.deepEqual(order, declared.filter((s) => order.includes(s)), 'steps start in their declared order');
      for (const step of operation.steps) assert.match(b.finalStates().get(step) ?? 'missing', /^(done|skipped)$/, `${operation.name}: step ${step}`);
    });

    test('running it twice leaves the host as running it once', async () => {
      const { bench: b, params } = bench(operation);
      assert.equal(await b.run(operation, params), null);
      const once = b.hypervisor.snapshot();
      const second = await b.run(operation, params);
      assert.equal(second, null, second?.error.message ?? "");
      assert.deepEqual(b.hypervisor.snapshot(), once);
    });

    // Each step that calls the host, failed at its first call.
    const probe = bench(operation);
    const stepsCalling = async () => {
      await probe.bench.run(operation, probe.params);
      return operation.steps.filter((s) => probe.bench.hypervisor.calls.some((c) => c.step === s));
    };
    test('a failure at each step stops it there and leaves what its failure policy says', async (t) => {
      const steps = await stepsCalling();
      assert.ok(steps.length > 0, 'it calls the host in some step');
      for (const step of steps) {
        await t.test(step, async () => {
          const { bench: b, params } = bench(operation);
          const before = made(b);
          b.hypervisor.failInStep(step);
          const failure = await b.run(operation, params);
          assert.ok(failure, 'it fails');
          assert.equal(b.finalStates().get(step), 'failed');
          const position = operation.steps.indexOf(step);
          const later = b.startOrder().filter((s) => operation.steps.indexOf(s) > position && !CONCURRENT.has(s) && !CONCURRENT.has(step));
          // A capture starts the VM again after a failed copy (it was shut down for it), whatever happened.
          assert.deepEqual(later.filter((s) => s !== 'Start the VM again'), [], 'no later step starts');
          assert.equal(failure.vm, operation.failure === 'error' ? 'error' : 'host');
          if (operation.failure === 'keep') assert.equal(failure.rollback, 'none');
          else if (operation.name === 'vm.migrate') {
            // Refused in its check (nothing made: no rollback) or rolled back, one copy stays.
            assert.equal(failure.rollback, step === 'Check the target' ? 'none' : 'done');
            assertOneCopy(b);
          } else if (operation.rollback) {
            assert.equal(failure.rollback, 'done');
            assert.deepEqual(made(b), before, 'nothing it made is left on the host');
          }
          if (operation.name === 'vm.clone') {
            assert.deepEqual([...b.peer.pools.get(DISK_POOL)!.keys()].filter((n) => n.startsWith(b.vm.id)), [], 'nothing of the clone is left on its new host');
            assert.ok(!b.peer.domains.has(b.vm.id), 'no domain of the clone on its new host');
          }
          if (operation.name === 'vm.capture' || operation.name === 'image.import') assert.deepEqual(b.imagesFailed, [params.imageId], 'the image shows ERROR');
        });
      }
    });

    if (cancellableWhileRunning(operation)) {
      test('cancelled before any of its steps, it starts no further step and rolls back all it made', async (t) => {
        for (const step of operation.steps) {
          await t.test(step, async () => {
            const { bench: b, params } = bench(operation);
            const before = made(b);
            b.cancelBefore = step;
            const failure = await b.run(operation, params);
            assert.ok(failure, 'it ends unfinished');
            assert.equal(failure.cancelled, true);
            assert.equal(failure.error.name, 'TaskCancelledError');
            assert.equal(b.finalStates().get(step), undefined, 'the step never starts');
            const position = operation.steps.indexOf(step);
            const later = b.startOrder().filter((s) => operation.steps.indexOf(s) > position && !CONCURRENT.has(s) && !CONCURRENT.has(step));
            assert.deepEqual(later, [], 'no later step starts');
            assert.equal(failure.rollback, 'done');
            // A migration cancelled once the guest runs on the target is finished, not undone: one copy either way.
            if (operation.name === 'vm.migrate') assertOneCopy(b);
            else assert.deepEqual(made(b), before, 'nothing it made is left on the host');
            if (operation.name === 'image.import') assert.deepEqual(b.imagesFailed, [params.imageId], 'the image shows ERROR');
          });
        }
      });
    }
  });
}

describe('special cases', () => {
  test('a deploy whose guest agent never answers keeps the VM (no rollback), and a retry goes on', async () => {
    const b = new OperationBench('creating');
    b.hypervisor.guestCooperates = false;
    const failure = await b.run(OPERATIONS['vm.deploy'], { imageId: b.image.id });
    assert.ok(failure);
    assert.equal(failure.error.name, 'KeepVmError');
    assert.equal(failure.vm, 'host');
    assert.equal(failure.rollback, 'none');
    assert.equal(b.hypervisor.domains.get(b.vm.id)?.state, 'running');
    b.hypervisor.guestCooperates = true;
    assert.equal(await b.run(OPERATIONS['vm.deploy'], { imageId: b.image.id }), null);
  });

  test('a shutdown the guest ignores ends in a power-off after the timeout, with a warning that says so', async () => {
    const b = new OperationBench('running');
    b.hypervisor.guestCooperates = false;
    assert.equal(await b.run(OPERATIONS['vm.shutdown'], { timeoutSeconds: 1 }), null);
    assert.equal(b.hypervisor.domains.get(b.vm.id)?.state, 'shutoff');
    assert.ok(b.hypervisor.calls.some((c) => c.method === 'destroy'));
    assert.deepEqual(b.warnings, ['The guest did not shut down within 1 s: it was powered off (like pulling the plug)']);
  });

  test('a clean shutdown has no warning', async () => {
    const b = new OperationBench('running');
    assert.equal(await b.run(OPERATIONS['vm.shutdown'], {}), null);
    assert.equal(b.hypervisor.domains.get(b.vm.id)?.state, 'shutoff');
    assert.deepEqual(b.warnings, []);
  });

  test('a deploy cancelled while its guest boots stops waiting at once and rolls back the domain and disks', async () => {
    const b = new OperationBench('creating');
    const before = made(b);
    const wait = b.hypervisor.waitForGuestAgent.bind(b.hypervisor);
    b.hypervisor.waitForGuestAgent = async (vmId: string, timeoutMs: number, signal?: AbortSignal) => {
      b.cancel();
      return wait(vmId, timeoutMs, signal);
    };
    const failure = await b.run(OPERATIONS['vm.deploy'], { imageId: b.image.id });
    assert.ok(failure);
    assert.equal(failure.cancelled, true);
    assert.equal(failure.error.message, 'Cancelled by the test');
    assert.equal(b.finalStates().get('Wait for the guest agent'), 'failed');
    assert.equal(failure.vm, 'error');
    assert.equal(failure.rollback, 'done');
    assert.deepEqual(made(b), before);
  });

  test('a resize of a stopped VM does not start it; a capture of a stopped VM leaves it stopped', async () => {
    for (const name of ['vm.resize', 'vm.capture'] as const) {
      const b = new OperationBench('stopped');
      const params = name === 'vm.resize' ? { vcpus: 2, memoryMb: 512, diskGb: 8 } : { imageId: '00000000-0000-4000-8000-000000000002' };
      assert.equal(await b.run(OPERATIONS[name], params), null);
      assert.equal(b.hypervisor.domains.get(b.vm.id)?.state, 'shutoff', name);
      assert.equal(b.hypervisor.calls.filter((c) => c.method === 'start').length, 0, name);
    }
  });

  test('steps that have nothing to do are skipped, the others run', async () => {
    const cases: Array<[string, VmState, Record<string, unknown>, string[]]> = [
      ['vm.create', 'creating', { start: false }, ['Start the VM']],
      ['vm.shutdown', 'paused', {}, ['Ask the guest to shut down', 'Wait for power-off']],
      ['vm.resize', 'stopped', { vcpus: 2, memoryMb: 512, diskGb: 8 }, ['Power off', 'Start the VM']],
      ['vm.capture', 'stopped', { imageId: '00000000-0000-4000-8000-000000000004' }, ['Shut down the guest', 'Start the VM again']],
    ];
    for (const [name, state, params, skipped] of cases) {
      const b = new OperationBench(state);
      const operation = OPERATIONS[name as keyof typeof OPERATIONS] as Operation;
      assert.equal(await b.run(operation, params), null, name);
      const states = b.finalStates();
      assert.deepEqual(operation.steps.filter((s) => states.get(s) === 'skipped'), skipped, name);
      assert.ok(operation.steps.filter((s) => !skipped.includes(s)).every((s) => states.get(s) === 'done'), name);
    }
  });

  test('an operation refuses parameters its schema does not take', () => {
    assert.throws(() => OPERATIONS['vm.shutdown'].params.parse({ timeoutSeconds: 0 }));
    assert.throws(() => OPERATIONS['vm.password'].params.parse({}));
    assert.throws(() => OPERATIONS['vm.capture'].params.parse({ imageId: 'not-a-uuid' }));
  });
});

describe('vm.migrate between two hosts in memory', () => {
  const migrate = OPERATIONS['vm.migrate'];
  const peerVolumes = (b: OperationBench) => [...b.peer.pools.get(DISK_POOL)!.keys()].filter((n) => n.startsWith(b.vm.id)).sort();

  test('a live migration copies the disks (attached ones too) into volumes made on the target, then the guest runs there alone', async () => {
    const b = new OperationBench('running');
    assert.equal(await b.run(migrate, { targetHostId: b.peerHost.id }), null);
    assert.equal(b.peer.domains.get(b.vm.id)?.state, 'running');
    // The attached disk (vdb) moves with the boot disk and the seed.
    assert.deepEqual(peerVolumes(b), [diskVolumeName(b.vm.id), seedVolumeName(b.vm.id), b.disks[1].volume].sort());
    assert.ok(b.peer.domains.get(b.vm.id)!.xml.includes(`/fake-peer/${DISK_POOL}/${diskVolumeName(b.vm.id)}`), 'the target defines its own disk paths');
    assertOneCopy(b);
    assert.ok(b.lines.some((l) => /downtime 20 ms/.test(l)), b.lines.join('\n'));
  });

  test('a live migration libvirt fails (or that is cancelled) leaves the guest running here and nothing on the target', async () => {
    const b = new OperationBench('running');
    b.hypervisor.failOn('migrateLive', 1, new Error('operation aborted: migration out job: canceled by client'));
    const failure = await b.run(migrate, { targetHostId: b.peerHost.id });
    assert.match(failure!.error.message, /canceled by client/);
    assert.equal(b.hypervisor.domains.get(b.vm.id)?.state, 'running');
    assert.deepEqual(peerVolumes(b), []);
    assertOneCopy(b);
  });

  test('a stopped VM moves cold: its flattened disk and seed are copied, its domain defined there', async () => {
    const b = new OperationBench('stopped');
    assert.equal(await b.run(migrate, { targetHostId: b.peerHost.id }), null);
    assert.equal(b.finalStates().get('Copy the memory'), 'skipped');
    assert.equal(b.peer.domains.get(b.vm.id)?.state, 'shutoff');
    // The attached disk (vdb) moves with the boot disk and the seed.
    assert.deepEqual(peerVolumes(b), [diskVolumeName(b.vm.id), seedVolumeName(b.vm.id), b.disks[1].volume].sort());
    assert.deepEqual([...b.hypervisor.pools.get(DISK_POOL)!.keys()], [], 'the flattened copy and the originals are gone here');
    assertOneCopy(b);
  });

  test('a volume of the VM already on a target that does not declare shared storage is refused, and left alone', async () => {
    const b = new OperationBench('running');
    b.peer.pools.get(DISK_POOL)!.set(diskVolumeName(b.vm.id), { format: 'qcow2', capacityBytes: 1, backing: null });
    const failure = await b.run(migrate, { targetHostId: b.peerHost.id });
    assert.match(failure!.error.message, /already has a volume .* does not declare that pool shared/);
    assert.deepEqual(peerVolumes(b), [diskVolumeName(b.vm.id)], 'what was there stays: it could be this very disk');
    assert.equal(b.hypervisor.domains.get(b.vm.id)?.state, 'running');
  });

  test('a VM that boots a file of its host is refused before anything is queued', () => {
    assert.match(migrate.refuses!({ iso_path: '/srv/iso/x.iso' } as never)!, /boots a file of its host/);
  });
});
