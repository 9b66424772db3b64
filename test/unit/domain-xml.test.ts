// The CPU a domain gets: migration-safe on kvm (host-model, which libvirt checks against a target
// before a live migration; not host-passthrough, which ties a guest to one exact CPU), and QEMU's
// emulated one under TCG.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { domainXml, type DomainSpec } from '../../server/hypervisor/domain-xml.ts';

const spec = (domainType: DomainSpec['domainType']): DomainSpec => ({ id: '6f1c2a3b-0f1e-4a6b-9c8d-7e6f5a4b3c2d', title: 't', description: '', domainType, vcpus: 1, memoryMb: 64, disks: [], vncListen: '127.0.0.1', guestAgent: true });

test('kvm domains use the host-model CPU, never host-passthrough; TCG domains name no CPU mode', () => {
  const kvm = domainXml(spec('kvm'));
  assert.match(kvm, /<cpu mode="host-model" check="partial"\s*\/>|<cpu mode="host-model" check="partial"><\/cpu>/);
  assert.doesNotMatch(kvm, /host-passthrough/);
  assert.doesNotMatch(domainXml(spec('qemu')), /<cpu\b/);
});

test('a migrating domain’s XML for its target: disks at the target’s paths, the console on the target’s address', async () => {
  const { forTarget } = await import('../../server/hypervisor/migration.ts');
  // As libvirt's dumpxml gives it: the address both as the graphics' attribute and as its listen element.
  const xml = domainXml({ ...spec('qemu'), vncListen: '10.251.0.2', disks: [{ path: '/var/lib/a/disk.qcow2', format: 'qcow2' }] }).replace('<graphics type="vnc" port="-1" autoport="yes">', '<graphics type="vnc" port="-1" autoport="yes" listen="10.251.0.2">');
  assert.match(xml, /listen="10\.251\.0\.2"/);
  const out = forTarget(xml, new Map([['/var/lib/a/disk.qcow2', '/srv/b/disk.qcow2']]), '127.0.0.1');
  assert.match(out, /<source file="\/srv\/b\/disk.qcow2"/);
  assert.doesNotMatch(out, /10\.251\.0\.2/);
  assert.match(out, /<graphics[^>]*listen="127\.0\.0\.1"/);
  assert.match(out, /<listen type="address" address="127\.0\.0\.1"/);
});
