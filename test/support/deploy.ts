// What the deploy tests share: a libvirt network of their own, the local host wired to it with an
// IP pool, and the test image uploaded. Each test file uses its own network, bridge and subnet
// (files run in parallel).
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { guestSh } from './guest.ts';
import type { TestHangar } from './hangar.ts';
import { uploadImage } from './images.ts';
import { virsh } from './libvirt.ts';
import { testImagePath } from './test-image.ts';

export interface TestNetwork {
  name: string;
  bridge: string;
  /** The first three octets of a /24. */
  subnet: string;
  /** Guests get addresses by DHCP from libvirt's dnsmasq (.100–.200) instead of from a Hangar IP pool. */
  dhcp?: boolean;
}

/**
 * A fresh network: without DHCP addresses come from Hangar's pool. 'open' forwarding needs no
 * firewall rules and routes nothing off the machine; with DHCP, dnsmasq serves no DNS either, so a
 * guest has nowhere to send traffic but this network.
 */
export async function defineNetwork(net: TestNetwork): Promise<void> {
  await removeNetwork(net);
  const dir = await mkdtemp(join(tmpdir(), 'hangar-net-'));
  const file = join(dir, 'net.xml');
  const dhcp = net.dhcp ? `<dhcp><range start='${net.subnet}.100' end='${net.subnet}.200'/></dhcp>` : '';
  const dns = net.dhcp ? `<dns enable='no'/>` : '';
  await writeFile(file, `<network><name>${net.name}</name><forward mode='open'/><bridge name='${net.bridge}' stp='off'/>${dns}<ip address='${net.subnet}.1' netmask='255.255.255.0'>${dhcp}</ip></network>`);
  await virsh('net-define', file);
  await rm(dir, { recursive: true, force: true });
  await virsh('net-start', net.name);
}

export async function removeNetwork(net: Pick<TestNetwork, 'name'>): Promise<void> {
  await virsh('net-destroy', net.name).catch(() => {});
  await virsh('net-undefine', net.name).catch(() => {});
}

/** Puts host `local` on the network (with a pool of .10–.20 unless the network does DHCP) and uploads the test image; returns their ids. */
export async function prepareDeploys(t: TestHangar, admin: string, net: TestNetwork, imagePath: string): Promise<{ hostId: string; imageId: string }> {
  const hosts = await t.gql('{ hosts { id name } }', {}, { cookie: admin });
  const hostId = hosts.data.hosts.find((h: any) => h.name === 'local').id;
  const updated = await t.gql(
    `mutation($id: ID!, $input: UpdateHostInput!) { updateHost(id: $id, input: $input) { __typename ... on Error { message } } }`,
    { id: hostId, input: { settings: { network: { kind: 'NETWORK', name: net.name } } } },
    { cookie: admin },
  );
  assert.equal(updated.data.updateHost.__typename, 'Host', JSON.stringify(updated));
  if (!net.dhcp) await createPool(t, admin, hostId, net);
  const image = await uploadImage(t, admin, imagePath, { name: 'Debian 12 (test)', osFamily: 'debian', osVersion: '12', cloudInit: true, defaultUser: 'debian' });
  assert.equal(image.status, 'READY');
  return { hostId, imageId: image.id };
}

async function createPool(t: TestHangar, admin: string, hostId: string, net: TestNetwork): Promise<void> {
  const pool = await t.gql(
    `mutation($input: CreateIpPoolInput!) { createIpPool(input: $input) { __typename ... on Error { message } } }`,
    { input: { hostId, name: net.name, cidr: `${net.subnet}.0/24`, gateway: `${net.subnet}.1`, dns: [`${net.subnet}.1`], rangeStart: `${net.subnet}.10`, rangeEnd: `${net.subnet}.20` } },
    { cookie: admin },
  );
  assert.equal(pool.data.createIpPool.__typename, 'IpPool', JSON.stringify(pool));
}

/** The network and the test image, made at once. */
export async function networkAndImage(net: TestNetwork): Promise<string> {
  const [path] = await Promise.all([testImagePath(), defineNetwork(net)]);
  return path;
}

/** The guest's own crypt() accepts the password against the hash in /etc/shadow. */
export async function passwordVerifies(vmId: string, user: string, password: string): Promise<boolean> {
  const check = `h=$(getent shadow ${user} | cut -d: -f2); perl -e 'exit(crypt($ARGV[0], $ARGV[1]) eq $ARGV[1] ? 0 : 1)' '${password}' "$h" && echo ok || echo no`;
  return (await guestSh(vmId, check)) === 'ok';
}
