// What a VM request may say: the checked shapes of create, reinstall, resize and capture, and the
// guest configuration stored from them (the password only as its hash).
import { z } from 'zod';
import type { GuestConfig, ImageRow } from '../../db/types.ts';
import { hashPassword } from '../hypervisor/cloud-init.ts';
import { ValidationError } from '../errors.ts';

// Control characters other than newlines and tabs have no place in a name or description.
const noControl = (s: string) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(s);
export const vmNameSchema = z
  .string()
  .trim()
  .min(1, 'A VM name is required')
  .max(64, 'A VM name has at most 64 characters')
  .refine((s) => noControl(s) && !/[\r\n\t]/.test(s), 'A VM name is one line of printable characters');
export const vmDescriptionSchema = z.string().max(1000, 'A description has at most 1000 characters').refine(noControl, 'A description holds no control characters');

// Tags are lowercase words joined by dashes, so they read the same everywhere and filter exactly.
export const MAX_VM_TAGS = 20;
export const vmTagSchema = z
  .string()
  .trim()
  .max(32, 'A tag has at most 32 characters')
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'A tag is lowercase letters and digits, words joined by single dashes (e.g. web-prod)');
export const vmTagsSchema = z
  .array(vmTagSchema)
  .max(MAX_VM_TAGS, `At most ${MAX_VM_TAGS} tags`)
  .transform((tags) => [...new Set(tags)]);

export const createVmSchema = z.object({
  name: vmNameSchema,
  description: vmDescriptionSchema.default(''),
  vcpus: z.number().int().min(1, 'At least 1 vCPU').max(64, 'At most 64 vCPUs'),
  memoryMb: z.number().int().min(64, 'At least 64 MiB of memory').max(1024 * 1024, 'At most 1 TiB of memory'),
  diskGb: z.number().int().min(1, 'At least 1 GiB of disk').max(16 * 1024, 'At most 16 TiB of disk'),
  hostId: z.uuid().nullish(),
  /** An ISO image already on the host, booted first (installers, rescue). */
  isoPath: z
    .string()
    .max(1024)
    .regex(/^\/[A-Za-z0-9._\/-]+\.iso$/i, 'An ISO path is an absolute path on the host ending in .iso')
    .refine((p) => !p.split('/').includes('..'), 'An ISO path may not contain ..')
    .nullish(),
  start: z.boolean().default(true),
  /** Boot this ISO of the image library with the blank disk (a manual install). */
  isoImageId: z.uuid().nullish(),
  /** Deploy from this image (cloud-init configures the guest from `guest`). */
  imageId: z.uuid().nullish(),
  guest: z.lazy(() => guestSchema).nullish(),
});
export type CreateVmInput = z.input<typeof createVmSchema>;

// What a user may tell cloud-init. Each field is checked here and emitted by a YAML library, so
// none can add directives; the password is hashed before anything is stored.
const SSH_KEY = /^(ssh-ed25519|ssh-rsa|ssh-dss|ecdsa-sha2-nistp(256|384|521)|sk-ssh-ed25519@openssh\.com|sk-ecdsa-sha2-nistp256@openssh\.com) [A-Za-z0-9+/]+={0,3}( [^\u0000-\u001f\u007f]{0,256})?$/;
const TIMEZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC', 'Etc/UTC']);
export const FIRST_BOOT_SCRIPT_MAX_BYTES = 64 * 1024;
export const guestSchema = z.object({
  hostname: z
    .string()
    .regex(/^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/, 'A hostname is 1 to 63 letters, digits and dashes, not starting or ending with a dash')
    .nullish(),
  username: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'A user name is 1 to 32 lowercase letters, digits, dashes and underscores, starting with a letter')
    .refine((u) => !['root', 'daemon', 'bin', 'sys', 'nobody'].includes(u), 'That user name belongs to the system')
    .nullish(),
  password: z
    .string()
    .min(8, 'A password has at least 8 characters')
    .max(256, 'A password has at most 256 characters')
    .refine((p) => !/[\u0000-\u001f\u007f]/.test(p), 'A password holds no control characters')
    .nullish(),
  sshKeys: z.array(z.string().trim().max(16 * 1024, 'An SSH key has at most 16 KiB').regex(SSH_KEY, 'An SSH public key is one line: type, base64 key, optional comment')).max(20, 'At most 20 SSH keys').default([]),
  timezone: z.string().refine((t) => TIMEZONES.has(t), 'An IANA time zone such as Europe/Paris or UTC').default('UTC'),
  firstBootScript: z
    .string()
    .refine((s) => Buffer.byteLength(s) <= FIRST_BOOT_SCRIPT_MAX_BYTES, `A first-boot script has at most ${FIRST_BOOT_SCRIPT_MAX_BYTES / 1024} KiB`)
    .refine((s) => !s.includes('\u0000'), 'A first-boot script holds no NUL bytes')
    .refine((s) => s.startsWith('#!'), 'A first-boot script starts with #! (e.g. #!/bin/sh)')
    .nullish(),
  fullCopy: z.boolean().default(false),
});
export type GuestInput = z.input<typeof guestSchema>;

/** The stored guest configuration: the password only as its sha512-crypt hash. */
export function guestConfigOf(input: z.output<typeof guestSchema>, vmName: string, image: ImageRow): GuestConfig {
  return {
    hostname: input.hostname ?? hostnameFrom(vmName),
    user: input.username ?? image.default_user ?? 'hangar',
    passwordHash: input.password ? hashPassword(input.password) : null,
    sshKeys: input.sshKeys,
    timezone: input.timezone,
    firstBootScript: input.firstBootScript ?? null,
    fullCopy: input.fullCopy,
  };
}

/** A hostname made from a VM name: letters, digits and dashes only. */
export function hostnameFrom(name: string): string {
  const slug = name.toLowerCase().normalize('NFKD').replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 63).replace(/-+$/, '');
  return slug || 'vm';
}

/** The disk must hold the image and meet its minimums; memory too. */
export function checkFitsImage(image: ImageRow, input: { diskGb: number; memoryMb: number }): void {
  const minDisk = Math.max(Math.ceil(Number(image.virtual_size_bytes ?? 0) / 1024 ** 3), image.min_disk_gb ?? 0);
  if (input.diskGb < minDisk) throw ValidationError.forField('diskGb', `The image ${image.name} needs a disk of at least ${minDisk} GiB`);
  if (image.min_memory_mb && input.memoryMb < image.min_memory_mb) throw ValidationError.forField('memoryMb', `The image ${image.name} needs at least ${image.min_memory_mb} MiB of memory`);
}

export const reinstallSchema = z.object({ imageId: z.uuid().nullish(), guest: guestSchema.partial().nullish() });
export type ReinstallInput = z.input<typeof reinstallSchema>;

/** Guest settings given to a reinstall replace the stored ones; a new password replaces the stored hash. */
export function reinstalledGuestConfig(current: GuestConfig, g: z.output<typeof reinstallSchema>['guest'] & {}): GuestConfig {
  return {
    ...current,
    ...(g.hostname ? { hostname: g.hostname } : {}),
    ...(g.username ? { user: g.username } : {}),
    ...(g.password ? { passwordHash: hashPassword(g.password) } : {}),
    ...(g.sshKeys?.length ? { sshKeys: g.sshKeys } : {}),
    ...(g.timezone ? { timezone: g.timezone } : {}),
    ...(g.firstBootScript !== undefined ? { firstBootScript: g.firstBootScript } : {}),
    ...(g.fullCopy !== undefined ? { fullCopy: g.fullCopy } : {}),
  };
}

export const resizeSchema = z.object({
  vcpus: createVmSchema.shape.vcpus.nullish(),
  memoryMb: createVmSchema.shape.memoryMb.nullish(),
  diskGb: createVmSchema.shape.diskGb.nullish(),
});
export type ResizeInput = z.input<typeof resizeSchema>;

export const passwordResetSchema = z.object({ password: guestSchema.shape.password.unwrap().unwrap() });

export const captureSchema = z.object({
  name: z.string().trim().min(1, 'An image name is required').max(100, 'An image name has at most 100 characters'),
});
export type CaptureInput = z.input<typeof captureSchema>;

/** A move to another host: the target (absent: placement chooses) and how a live migration runs. */
export const migrateSchema = z.object({
  targetHostId: z.uuid('targetHostId is not the id of a host').nullish(),
  bandwidthMiBs: z.number().int().min(1, 'At least 1 MiB/s').max(100_000).nullish(),
  maxDowntimeMs: z.number().int().min(10, 'At least 10 ms').max(60_000, 'At most 60 s').nullish(),
  autoConverge: z.boolean().nullish(),
  timeoutSeconds: z.number().int().min(10, 'At least 10 s').max(86_400, 'At most a day').nullish(),
  onTimeout: z.enum(['abort', 'pause']).nullish(),
});
export type MigrateInput = z.input<typeof migrateSchema>;
