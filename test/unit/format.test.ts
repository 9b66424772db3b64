// The client's numbers read like a person wrote them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mib, quotaText, vcpus } from '../../client/src/lib/format.ts';

test('memory in MiB is written as a person would', () => {
  assert.equal(mib(768), '768 MiB');
  assert.equal(mib(2048), '2 GiB');
  assert.equal(mib(1536), '1.5 GiB');
  assert.equal(mib(1024 * 1024), '1 TiB');
});

test('vCPUs are counted in the singular and the plural', () => {
  assert.equal(vcpus(1), '1 vCPU');
  assert.equal(vcpus(2), '2 vCPUs');
});

test('a quota names each limit, and an unlimited one as ∞', () => {
  assert.equal(quotaText({ maxVcpus: 4, maxMemoryMb: 8192, maxDiskGb: null, maxVms: 1 }), '4 vCPUs · 8 GiB memory · ∞ disk · 1 VM');
  assert.equal(quotaText({}), '∞ vCPUs · ∞ memory · ∞ disk · ∞ VMs');
});
