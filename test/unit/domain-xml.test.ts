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
