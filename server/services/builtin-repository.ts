// The built-in repository: the well-known cloud images (with cloud-init) at their vendors' own
// mirrors. The vendors publish no simplestreams index for most of them, so each entry names the
// file and the vendor's checksum file beside it; a refresh reads the checksum files, and an image
// whose checksum changed is a new build (the "latest" URLs move). Where the vendor signs its
// checksum file, the entry names the signature and the vendor's key (server/keys/vendors/<key>.asc,
// exported from Debian's keyring packages): a refresh trusts the file only once the key verified it.
import { z } from 'zod';
import { RepositoryIndexError, type ChecksumAlgorithm, type OfferedImage } from './simplestreams.ts';

/** A key file's name in server/keys/vendors, without .asc. */
const vendorKeyName = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/);

/** How the vendor signs its checksum file: a detached signature beside it, or the file clearsigned. */
const signatureSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('detached'), url: z.url({ protocol: /^https$/ }), key: vendorKeyName }),
  z.object({ type: z.literal('clearsigned'), key: vendorKeyName }),
]);
export type ChecksumSignature = z.infer<typeof signatureSchema>;

/** Where the vendors' public keys are shipped. */
export const VENDOR_KEYS_DIR = new URL('../keys/vendors/', import.meta.url).pathname;

const entrySchema = z.object({
  product: z.string().regex(/^[a-z0-9][a-z0-9.:-]{0,99}$/),
  name: z.string().min(1).max(100),
  osFamily: z.string().regex(/^[a-z]+$/),
  osVersion: z.string().min(1).max(32),
  arch: z.enum(['x86_64', 'aarch64']),
  defaultUser: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/),
  minDiskGb: z.number().int().min(1),
  minMemoryMb: z.number().int().min(64),
  format: z.enum(['qcow2', 'raw']),
  url: z.url({ protocol: /^https$/ }),
  checksums: z.object({
    url: z.url({ protocol: /^https$/ }),
    algorithm: z.enum(['sha256', 'sha512']),
    signature: signatureSchema.optional(),
  }),
});
export type BuiltinImage = z.infer<typeof entrySchema>;

const vendor = <T extends Omit<BuiltinImage, 'arch' | 'format'>>(entry: T): BuiltinImage => ({ arch: 'x86_64', format: 'qcow2', ...entry });

// The files and checksum files as the vendors lay them out; an entry is one line to change when a release moves.
// Signatures are declared only where the vendor publishes one: Debian's cloud images have no signature
// beside SHA512SUMS, Rocky Linux 9 does not sign its checksums on the mirrors, and Alpine signs the
// image itself with a key no Debian package ships; those rest on HTTPS and the checksum.
const DEFINITION: BuiltinImage[] = [
  vendor({
    product: 'debian:12:amd64',
    name: 'Debian 12 (bookworm)',
    osFamily: 'debian',
    osVersion: '12',
    defaultUser: 'debian',
    minDiskGb: 3,
    minMemoryMb: 512,
    url: 'https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-genericcloud-amd64.qcow2',
    checksums: { url: 'https://cloud.debian.org/images/cloud/bookworm/latest/SHA512SUMS', algorithm: 'sha512' },
  }),
  vendor({
    product: 'debian:13:amd64',
    name: 'Debian 13 (trixie)',
    osFamily: 'debian',
    osVersion: '13',
    defaultUser: 'debian',
    minDiskGb: 3,
    minMemoryMb: 512,
    url: 'https://cloud.debian.org/images/cloud/trixie/latest/debian-13-genericcloud-amd64.qcow2',
    checksums: { url: 'https://cloud.debian.org/images/cloud/trixie/latest/SHA512SUMS', algorithm: 'sha512' },
  }),
  vendor({
    product: 'ubuntu:22.04:amd64',
    name: 'Ubuntu 22.04 LTS (Jammy Jellyfish)',
    osFamily: 'ubuntu',
    osVersion: '22.04',
    defaultUser: 'ubuntu',
    minDiskGb: 3,
    minMemoryMb: 512,
    url: 'https://cloud-images.ubuntu.com/releases/22.04/release/ubuntu-22.04-server-cloudimg-amd64.img',
    checksums: {
      url: 'https://cloud-images.ubuntu.com/releases/22.04/release/SHA256SUMS',
      algorithm: 'sha256',
      signature: { type: 'detached', url: 'https://cloud-images.ubuntu.com/releases/22.04/release/SHA256SUMS.gpg', key: 'ubuntu' },
    },
  }),
  vendor({
    product: 'ubuntu:24.04:amd64',
    name: 'Ubuntu 24.04 LTS (Noble Numbat)',
    osFamily: 'ubuntu',
    osVersion: '24.04',
    defaultUser: 'ubuntu',
    minDiskGb: 4,
    minMemoryMb: 512,
    url: 'https://cloud-images.ubuntu.com/releases/24.04/release/ubuntu-24.04-server-cloudimg-amd64.img',
    checksums: {
      url: 'https://cloud-images.ubuntu.com/releases/24.04/release/SHA256SUMS',
      algorithm: 'sha256',
      signature: { type: 'detached', url: 'https://cloud-images.ubuntu.com/releases/24.04/release/SHA256SUMS.gpg', key: 'ubuntu' },
    },
  }),
  vendor({
    product: 'almalinux:9:amd64',
    name: 'AlmaLinux 9',
    osFamily: 'almalinux',
    osVersion: '9',
    defaultUser: 'almalinux',
    minDiskGb: 10,
    minMemoryMb: 1024,
    url: 'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/AlmaLinux-9-GenericCloud-latest.x86_64.qcow2',
    checksums: {
      url: 'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/CHECKSUM',
      algorithm: 'sha256',
      signature: { type: 'detached', url: 'https://repo.almalinux.org/almalinux/9/cloud/x86_64/images/CHECKSUM.asc', key: 'almalinux' },
    },
  }),
  vendor({
    product: 'rocky:9:amd64',
    name: 'Rocky Linux 9',
    osFamily: 'rocky',
    osVersion: '9',
    defaultUser: 'rocky',
    minDiskGb: 10,
    minMemoryMb: 1024,
    url: 'https://dl.rockylinux.org/pub/rocky/9/images/x86_64/Rocky-9-GenericCloud-Base.latest.x86_64.qcow2',
    checksums: { url: 'https://dl.rockylinux.org/pub/rocky/9/images/x86_64/Rocky-9-GenericCloud-Base.latest.x86_64.qcow2.CHECKSUM', algorithm: 'sha256' },
  }),
  vendor({
    product: 'fedora:42:amd64',
    name: 'Fedora 42 Cloud',
    osFamily: 'fedora',
    osVersion: '42',
    defaultUser: 'fedora',
    minDiskGb: 5,
    minMemoryMb: 1024,
    url: 'https://download.fedoraproject.org/pub/fedora/linux/releases/42/Cloud/x86_64/images/Fedora-Cloud-Base-Generic-42-1.1.x86_64.qcow2',
    checksums: {
      url: 'https://download.fedoraproject.org/pub/fedora/linux/releases/42/Cloud/x86_64/images/Fedora-Cloud-42-1.1-x86_64-CHECKSUM',
      algorithm: 'sha256',
      signature: { type: 'clearsigned', key: 'fedora' },
    },
  }),
  vendor({
    product: 'alpine:3.21:amd64',
    name: 'Alpine Linux 3.21 (cloud-init)',
    osFamily: 'alpine',
    osVersion: '3.21',
    defaultUser: 'alpine',
    minDiskGb: 1,
    minMemoryMb: 256,
    url: 'https://dl-cdn.alpinelinux.org/alpine/v3.21/releases/cloud/generic_alpine-3.21.0-x86_64-bios-cloudinit-r0.qcow2',
    checksums: { url: 'https://dl-cdn.alpinelinux.org/alpine/v3.21/releases/cloud/generic_alpine-3.21.0-x86_64-bios-cloudinit-r0.qcow2.sha512', algorithm: 'sha512' },
  }),
];

/** The built-in definition, checked (a mistake in it fails the first test that reads it). */
export function builtinImages(): BuiltinImage[] {
  return z.array(entrySchema).parse(DEFINITION);
}

const HEX_LENGTH: Record<ChecksumAlgorithm, number> = { sha256: 64, sha512: 128 };

/**
 * The checksum of fileName in a vendor's checksum file: GNU lines ("<hex>  <name>", "<hex> *<name>"),
 * BSD lines ("SHA256 (<name>) = <hex>") and a bare "<hex>" (a one-file .sha512); PGP armour is skipped.
 */
export function checksumIn(text: string, fileName: string, algorithm: ChecksumAlgorithm): string | null {
  const hex = new RegExp(`^[0-9a-f]{${HEX_LENGTH[algorithm]}}$`, 'i');
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l && !l.startsWith('-----') && !l.startsWith('#'));
  for (const line of lines) {
    const bsd = /^(SHA256|SHA512) \((.+)\) = ([0-9a-fA-F]+)$/.exec(line);
    if (bsd && bsd[1]!.toLowerCase() === algorithm && bsd[2] === fileName && hex.test(bsd[3]!)) return bsd[3]!.toLowerCase();
    const gnu = /^([0-9a-fA-F]+)\s+\*?(.+)$/.exec(line);
    if (gnu && hex.test(gnu[1]!) && (gnu[2] === fileName || gnu[2]!.endsWith(`/${fileName}`))) return gnu[1]!.toLowerCase();
  }
  if (lines.length === 1 && hex.test(lines[0]!)) return lines[0]!.toLowerCase();
  return null;
}

/** The built-in entry as offered, once its vendor's checksum file named the current build. */
export function offeredBuiltin(entry: BuiltinImage, checksumFile: string): OfferedImage {
  const fileName = new URL(entry.url).pathname.split('/').pop()!;
  const checksum = checksumIn(checksumFile, fileName, entry.checksums.algorithm);
  if (!checksum) throw new RepositoryIndexError('INVALID_INDEX', `${entry.checksums.url} has no ${entry.checksums.algorithm} for ${fileName}`);
  return {
    product: entry.product,
    // The "latest" files move: the build is known by its checksum.
    version: checksum.slice(0, 16),
    name: entry.name,
    osFamily: entry.osFamily,
    osVersion: entry.osVersion,
    arch: entry.arch,
    defaultUser: entry.defaultUser,
    minDiskGb: entry.minDiskGb,
    minMemoryMb: entry.minMemoryMb,
    cloudInit: true,
    url: entry.url,
    format: entry.format,
    sizeBytes: null,
    checksumAlgorithm: entry.checksums.algorithm,
    checksum,
  };
}
