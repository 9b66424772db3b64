// Disk images from outside (uploads, downloads): what they are, whether they are safe to use, and
// conversion to a standalone qcow2. An uploaded file is hostile until proven otherwise.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { runCommand } from './command.ts';
import { NamedError } from '../errors.ts';
import { CommandTimeoutError, HypervisorError, ToolMissingError } from './errors.ts';

export interface ImageInfo {
  format: 'qcow2' | 'raw';
  virtualSizeBytes: number;
  /** Length of the file itself (for qcow2 usually far below the virtual size). */
  fileSizeBytes: number;
}

export type ImageRejection = 'NOT_AN_IMAGE' | 'UNSUPPORTED_FORMAT' | 'BACKING_FILE' | 'DATA_FILE' | 'CORRUPT';

/** The file must not be used as a disk; the message is meant for the user who supplied it. */
export class ImageRejectedError extends NamedError {
  readonly reason: ImageRejection;
  constructor(reason: ImageRejection, message: string) {
    super(message);
    this.reason = reason;
  }
}

const INFO_TIMEOUT_MS = 60_000;
// check walks every L2 table and refcount block: minutes at worst, even for a huge image.
const CHECK_TIMEOUT_MS = 15 * 60_000;
// A conversion may take hours; what matters is that it keeps moving (qemu-img reports every 1 %).
const CONVERT_STALL_MS = 15 * 60_000;

const QCOW_MAGIC = 0x514649fb; // "QFI\xfb"
const QCOW2_INCOMPAT_CORRUPT = 2n;
const QCOW2_INCOMPAT_DATA_FILE = 4n;
const QCOW2_EXT_DATA_FILE = 0x44415441; // "DATA"

/** Formats qemu would accept that we refuse, recognised by their magic (offset, bytes). */
const FOREIGN: Array<{ name: string; offset: number; magic: Buffer }> = [
  { name: 'QED', offset: 0, magic: Buffer.from('QED\0', 'latin1') },
  { name: 'VMDK', offset: 0, magic: Buffer.from('KDMV', 'latin1') },
  { name: 'VMDK', offset: 0, magic: Buffer.from('COWD', 'latin1') },
  { name: 'VMDK (descriptor)', offset: 0, magic: Buffer.from('# Disk DescriptorFile', 'latin1') },
  { name: 'VDI', offset: 0x40, magic: Buffer.from([0x7f, 0x10, 0xda, 0xbe]) },
  { name: 'VHDX', offset: 0, magic: Buffer.from('vhdxfile', 'latin1') },
  { name: 'VHD', offset: 0, magic: Buffer.from('conectix', 'latin1') },
  { name: 'LUKS', offset: 0, magic: Buffer.from('LUKS\xba\xbe', 'latin1') },
  { name: 'Parallels', offset: 0, magic: Buffer.from('WithoutFreeSpace', 'latin1') },
  { name: 'Parallels', offset: 0, magic: Buffer.from('WithouFreSpacExt', 'latin1') },
  { name: 'Bochs', offset: 0, magic: Buffer.from('Bochs Virtual HD Image', 'latin1') },
  { name: 'cloop', offset: 0, magic: Buffer.from('#!/bin/sh\n#V2.0 Format', 'latin1') },
  // Installer ISOs are often hybrid (they carry an MBR too): refuse them by their ISO 9660 descriptor.
  { name: 'ISO 9660 (a CD/DVD image, not a disk)', offset: 0x8001, magic: Buffer.from('CD001', 'latin1') },
  // Downloaded cloud images often come compressed: say so instead of "not an image".
  { name: 'xz-compressed', offset: 0, magic: Buffer.from([0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00]) },
  { name: 'gzip-compressed', offset: 0, magic: Buffer.from([0x1f, 0x8b]) },
  { name: 'zstd-compressed', offset: 0, magic: Buffer.from([0x28, 0xb5, 0x2f, 0xfd]) },
  { name: 'bzip2-compressed', offset: 0, magic: Buffer.from('BZh', 'latin1') },
  { name: 'ZIP archive', offset: 0, magic: Buffer.from('PK\x03\x04', 'latin1') },
];

const HEAD_BYTES = 64 * 1024;

/**
 * Classifies a file from its own bytes, before any qemu-img sees it: qemu's probing would follow
 * whatever the file names (a backing file, a data file, VMDK extents, json: / nbd: specs) and
 * `qemu-img check` opens the backing chain. Only a plain qcow2 or raw disk passes.
 */
async function sniff(path: string): Promise<{ format: 'qcow2' | 'raw'; size: number }> {
  const st = await stat(path);
  // A FIFO or device node would block or expose the host's disks.
  if (!st.isFile()) throw new ImageRejectedError('NOT_AN_IMAGE', 'The upload is not a regular file.');
  const handle = await open(path, 'r');
  try {
    const read = async (offset: number, length: number) => {
      const buffer = Buffer.alloc(length);
      const { bytesRead } = await handle.read(buffer, 0, length, offset);
      return buffer.subarray(0, bytesRead);
    };
    const head = await read(0, HEAD_BYTES);
    if (head.length >= 4 && head.readUInt32BE(0) === QCOW_MAGIC) {
      await checkQcow2Header(head, read);
      return { format: 'qcow2', size: st.size };
    }
    for (const { name, offset, magic } of FOREIGN) {
      if (head.subarray(offset, offset + magic.length).equals(magic)) {
        throw new ImageRejectedError('UNSUPPORTED_FORMAT', `This is a ${name} file; only qcow2 and raw disk images are supported.`);
      }
    }
    // A fixed-size VHD is raw data with a footer: its identity is at the end.
    if (st.size >= 1024 && (await read(st.size - 512, 8)).equals(Buffer.from('conectix', 'latin1'))) {
      throw new ImageRejectedError('UNSUPPORTED_FORMAT', 'This is a VHD file; only qcow2 and raw disk images are supported.');
    }
    const mbr = head.length >= 512 && head[510] === 0x55 && head[511] === 0xaa;
    const gpt = head.subarray(512, 520).equals(Buffer.from('EFI PART', 'latin1'));
    if (!mbr && !gpt) {
      throw new ImageRejectedError('NOT_AN_IMAGE', 'This file is not a disk image: it is neither qcow2 nor a raw disk with a partition table (MBR or GPT).');
    }
    return { format: 'raw', size: st.size };
  } finally {
    await handle.close();
  }
}

/** The qcow2 header fields that make qemu open other files (spec: docs/interop/qcow2.txt). */
async function checkQcow2Header(head: Buffer, read: (offset: number, length: number) => Promise<Buffer>): Promise<void> {
  if (head.length < 72) throw new ImageRejectedError('CORRUPT', 'The qcow2 header is truncated.');
  const version = head.readUInt32BE(4);
  if (version !== 2 && version !== 3) {
    throw new ImageRejectedError('UNSUPPORTED_FORMAT', `This is a qcow version ${version} file; only qcow2 (version 2 or 3) is supported.`);
  }
  if (head.readBigUInt64BE(8) !== 0n) {
    throw new ImageRejectedError('BACKING_FILE', 'This qcow2 image depends on a backing file; upload a standalone image (qemu-img convert -O qcow2 flattens it).');
  }
  const clusterBits = head.readUInt32BE(20);
  if (clusterBits < 9 || clusterBits > 21) throw new ImageRejectedError('CORRUPT', 'The qcow2 header has an invalid cluster size.');
  if (head.readUInt32BE(32) !== 0) throw new ImageRejectedError('UNSUPPORTED_FORMAT', 'Encrypted qcow2 images are not supported.');
  let extensionsAt = 72;
  if (version === 3) {
    if (head.length < 104) throw new ImageRejectedError('CORRUPT', 'The qcow2 header is truncated.');
    const incompatible = head.readBigUInt64BE(72);
    if (incompatible & QCOW2_INCOMPAT_DATA_FILE) {
      throw new ImageRejectedError('DATA_FILE', 'This qcow2 image keeps its data in an external file; upload a standalone image.');
    }
    if (incompatible & QCOW2_INCOMPAT_CORRUPT) throw new ImageRejectedError('CORRUPT', 'This qcow2 image is marked corrupt.');
    extensionsAt = head.readUInt32BE(100);
  }
  // Header extensions live in the first cluster; the data-file name is one of them.
  const clusterSize = 2 ** clusterBits;
  const first = clusterSize <= head.length ? head.subarray(0, clusterSize) : await read(0, clusterSize);
  for (let at = extensionsAt; at + 8 <= first.length; ) {
    const type = first.readUInt32BE(at);
    const length = first.readUInt32BE(at + 4);
    if (type === 0) break;
    if (type === QCOW2_EXT_DATA_FILE) throw new ImageRejectedError('DATA_FILE', 'This qcow2 image names an external data file; upload a standalone image.');
    at += 8 + Math.ceil(length / 8) * 8;
  }
}

/**
 * What an uploaded file is, or an ImageRejectedError. qemu-img only ever sees files that passed
 * the header checks above, always with an explicit format and an absolute path (a relative
 * "json:{…}" or "nbd:…" name would be read as a pseudo-filename).
 */
export async function inspectImage(path: string): Promise<ImageInfo> {
  const file = resolve(path);
  const { format, size } = await sniff(file);
  // -U: the check must work on an image that a VM or a copy has open.
  const { stdout } = await runCommand('qemu-img', ['info', '--output=json', '-U', '-f', format, file], { timeoutMs: INFO_TIMEOUT_MS }).catch((error: unknown) => {
    if (error instanceof HypervisorError && !(error instanceof ToolMissingError) && !(error instanceof CommandTimeoutError)) {
      throw new ImageRejectedError('CORRUPT', `qemu-img cannot read this ${format} image: ${error.message}`);
    }
    throw error;
  });
  const info = JSON.parse(stdout) as Record<string, any>;
  // Belt and braces: the header checks already refused these.
  if (info['backing-filename'] || info['full-backing-filename']) throw new ImageRejectedError('BACKING_FILE', 'This qcow2 image depends on a backing file; upload a standalone image.');
  if (info['format-specific']?.data?.['data-file']) throw new ImageRejectedError('DATA_FILE', 'This qcow2 image keeps its data in an external file; upload a standalone image.');
  if (info.format !== format) throw new ImageRejectedError('UNSUPPORTED_FORMAT', `Unexpected image format ${JSON.stringify(info.format)}.`);
  if (format === 'qcow2') await checkQcow2(file);
  return { format, virtualSizeBytes: Number(info['virtual-size']), fileSizeBytes: size };
}

async function checkQcow2(file: string): Promise<void> {
  const { code, stdout, stderr } = await spawnQemuImg(['check', '--output=json', '-U', '-f', 'qcow2', file], CHECK_TIMEOUT_MS);
  // 0: clean; 3: only leaked clusters (wasted space, harmless); 2: corruptions; 1: check itself failed.
  if (code === 0 || code === 3) return;
  let corruptions = '';
  try {
    corruptions = ` (${JSON.parse(stdout).corruptions ?? 0} corruptions)`;
  } catch {}
  const detail = stderr.split('\n').find((l) => l.trim())?.trim();
  throw new ImageRejectedError('CORRUPT', `This qcow2 image is damaged${corruptions}${detail ? `: ${detail}` : ''}.`);
}

/**
 * Writes a standalone qcow2 copy of src (qcow2 or raw, re-checked here) to dst, which must not
 * exist. A partial dst is removed on failure.
 */
export async function convertImage(src: string, dst: string, options: { compress: boolean; onProgress?: (percent: number) => void }): Promise<void> {
  const source = resolve(src);
  const target = resolve(dst);
  const { format } = await sniff(source);
  if (await stat(target).then(() => true, () => false)) throw new HypervisorError(`${target} already exists`, 'qemu-img convert');
  // -p prints "(12.34/100%)\r" to stdout; no -B and a source without backing: the output stands alone.
  const args = ['convert', '-p', '-f', format, '-O', 'qcow2', ...(options.compress ? ['-c'] : []), source, target];
  let last = -1;
  try {
    const { code, stderr } = await spawnQemuImg(args, CONVERT_STALL_MS, (chunk) => {
      for (const match of chunk.matchAll(/\((\d+(?:\.\d+)?)\/100%\)/g)) {
        const percent = Number(match[1]);
        if (percent !== last) {
          last = percent;
          options.onProgress?.(percent);
        }
      }
    });
    if (code !== 0) throw new HypervisorError(stderr.replace(/^qemu-img:\s*/gm, '').trim() || `exited with code ${code}`, 'qemu-img convert');
  } catch (error) {
    await rm(target, { force: true });
    throw error;
  }
}

/**
 * qemu-img with an argument array, for calls that need the exit code (check) or live output
 * (convert). The timeout restarts whenever the tool prints something: it measures a stall.
 */
export function spawnQemuImg(args: string[], idleTimeoutMs: number, onStdout?: (chunk: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const label = `qemu-img ${args[0]}`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn('qemu-img', args, { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let stdout = '';
    let stderr = '';
    let settled = false;
    let timer: NodeJS.Timeout;
    const finish = (error: Error | null, code: number | null = null) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) reject(error);
      else resolvePromise({ code, stdout, stderr });
    };
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        child.kill('SIGKILL');
        finish(new CommandTimeoutError(label, idleTimeoutMs));
      }, idleTimeoutMs);
    };
    arm();
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      arm();
      // Progress output would grow without bound; keep only the tail for messages.
      stdout = (stdout + chunk).slice(-65536);
      onStdout?.(chunk);
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-65536)));
    child.on('error', (error: NodeJS.ErrnoException) => finish(error.code === 'ENOENT' ? new ToolMissingError('qemu-img') : new HypervisorError(error.message, label)));
    child.on('close', (code) => finish(null, code));
  });
}

/** Hex SHA-256 of a file, streamed; onProgress gets the bytes read so far. */
export async function sha256File(path: string, onProgress?: (bytes: number) => void): Promise<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
    onProgress?.(bytes);
  }
  return hash.digest('hex');
}
