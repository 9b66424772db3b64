// A tiny bootable ISO whose guest powers the machine off by itself after a
// delay, so tests can prove the panel notices a power-off initiated from
// inside the guest without installing an operating system.
//
// The ISO holds one El Torito "no emulation" boot image (boot.bin). The BIOS
// loads it at 0000:7C00 and jumps to it in 16-bit real mode. The code is
// hand-assembled below (no assembler is needed at test time); every jump is
// relative, so it runs at whatever address the BIOS chooses.

import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { access, chmod, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Largest delay the 16-bit loop counter can hold. */
export const MAX_DELAY_SECONDS = 0xffff;

/*
 * The boot image, with `delaySeconds` patched into the `mov si, imm16` at
 * offset 0x10. Offsets in hexadecimal:
 *
 *   00  FB            sti                    ; int 15h/86h waits on the timer interrupt
 *   01  FC            cld
 *   02  BA F8 03      mov  dx, 0x03F8        ; COM1
 *   05  B0 50         mov  al, 'P'
 *   07  EE            out  dx, al            ; 'P' on the serial port
 *   08  B8 50 0E      mov  ax, 0x0E50        ; teletype output of 'P'
 *   0B  31 DB         xor  bx, bx            ; page 0
 *   0D  CD 10         int  0x10              ; 'P' on the screen
 *   0F  BE lo hi      mov  si, delaySeconds
 *   12  85 F6   wait: test si, si
 *   14  74 0F         jz   off               ; -> 0x25
 *   16  B9 0F 00      mov  cx, 0x000F        ; CX:DX = 0x000F4240 = 1 000 000 us
 *   19  BA 40 42      mov  dx, 0x4240
 *   1C  B4 86         mov  ah, 0x86          ; BIOS wait
 *   1E  CD 15         int  0x15
 *   20  4E            dec  si
 *   21  EB EF         jmp  wait              ; -> 0x12
 *   23  90 90         nop; nop
 *   25  B8 01 53 off: mov  ax, 0x5301        ; APM: connect real-mode interface
 *   28  31 DB         xor  bx, bx            ; device: APM BIOS
 *   2A  CD 15         int  0x15
 *   2C  B8 0E 53      mov  ax, 0x530E        ; APM: driver version
 *   2F  31 DB         xor  bx, bx
 *   31  B9 02 01      mov  cx, 0x0102        ; version 1.2
 *   34  CD 15         int  0x15
 *   36  B8 07 53      mov  ax, 0x5307        ; APM: set power state
 *   39  BB 01 00      mov  bx, 0x0001        ; all devices
 *   3C  B9 03 00      mov  cx, 0x0003        ; off
 *   3F  CD 15         int  0x15              ; SeaBIOS writes 0x2000 to PM1a_CNT
 *   41  FA            cli                    ; APM failed: do it ourselves
 *   42  B8 00 20      mov  ax, 0x2000        ; SLP_EN, SLP_TYP 0 (S5 on QEMU)
 *   45  BA 04 06      mov  dx, 0x0604        ; PM1a_CNT, PM base 0x600
 *   48  EF            out  dx, ax
 *   49  BA 04 B0      mov  dx, 0xB004        ; PM1a_CNT, PM base 0xB000
 *   4C  EF            out  dx, ax
 *   4D  F4      halt: hlt
 *   4E  EB FD         jmp  halt              ; -> 0x4D
 *
 * The image is padded to 2048 bytes (the 4 virtual sectors the BIOS loads)
 * and ends with the 55 AA signature, which no-emulation boot does not need
 * but some firmware checks.
 */
const CODE = [
  0xfb, 0xfc,
  0xba, 0xf8, 0x03, 0xb0, 0x50, 0xee,
  0xb8, 0x50, 0x0e, 0x31, 0xdb, 0xcd, 0x10,
  0xbe, 0x00, 0x00,
  0x85, 0xf6, 0x74, 0x0f,
  0xb9, 0x0f, 0x00, 0xba, 0x40, 0x42, 0xb4, 0x86, 0xcd, 0x15,
  0x4e, 0xeb, 0xef,
  0x90, 0x90,
  0xb8, 0x01, 0x53, 0x31, 0xdb, 0xcd, 0x15,
  0xb8, 0x0e, 0x53, 0x31, 0xdb, 0xb9, 0x02, 0x01, 0xcd, 0x15,
  0xb8, 0x07, 0x53, 0xbb, 0x01, 0x00, 0xb9, 0x03, 0x00, 0xcd, 0x15,
  0xfa, 0xb8, 0x00, 0x20,
  0xba, 0x04, 0x06, 0xef,
  0xba, 0x04, 0xb0, 0xef,
  0xf4, 0xeb, 0xfd,
];
const DELAY_OFFSET = 0x10;
const IMAGE_SIZE = 2048;

/** The boot image for a given delay (exported for unit checks). */
export function powerOffBootImage(delaySeconds: number): Buffer {
  if (!Number.isInteger(delaySeconds) || delaySeconds < 0 || delaySeconds > MAX_DELAY_SECONDS) {
    throw new RangeError(`delaySeconds must be an integer from 0 to ${MAX_DELAY_SECONDS}, got ${delaySeconds}`);
  }
  const image = Buffer.alloc(IMAGE_SIZE);
  Buffer.from(CODE).copy(image);
  image.writeUInt16LE(delaySeconds, DELAY_OFFSET);
  image[510] = 0x55;
  image[511] = 0xaa;
  return image;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Writes (once per delay and boot image) a bootable ISO into `dir` whose
 * guest prints "P", waits `delaySeconds` and powers the machine off. Returns
 * the ISO's path. For qemu:///system the ISO must be readable by the qemu
 * process, e.g. under /var/lib/libvirt/images/; it is made mode 0644.
 */
export function makePowerOffIso(dir: string, delaySeconds: number): Promise<string> {
  return makeBootIso(dir, `poweroff-${delaySeconds}s`, powerOffBootImage(delaySeconds));
}

/*
 * A guest that keeps its vCPU and its first disk busy: it reads sector 1 of
 * BIOS drive 0x80 (the VM's virtio disk) over and over.
 *
 *   00  FB            sti
 *   01  31 C0         xor  ax, ax
 *   03  8E C0         mov  es, ax
 *   05  BB 00 80 loop: mov bx, 0x8000        ; buffer 0000:8000
 *   08  B8 01 02      mov  ax, 0x0201        ; read 1 sector
 *   0B  B9 01 00      mov  cx, 0x0001        ; cylinder 0, sector 1
 *   0E  BA 80 00      mov  dx, 0x0080        ; head 0, drive 0x80
 *   11  CD 13         int  0x13
 *   13  EB F0         jmp  loop              ; -> 0x05
 */
const DISK_READER = [0xfb, 0x31, 0xc0, 0x8e, 0xc0, 0xbb, 0x00, 0x80, 0xb8, 0x01, 0x02, 0xb9, 0x01, 0x00, 0xba, 0x80, 0x00, 0xcd, 0x13, 0xeb, 0xf0];

/*
 * A guest that does nothing, the way an idle OS does: it halts until the next interrupt.
 *
 *   00  FB            sti
 *   01  F4      idle: hlt
 *   02  EB FD         jmp  idle              ; -> 0x01
 */
const IDLER = [0xfb, 0xf4, 0xeb, 0xfd];

/*
 * A guest on the serial line: every byte that arrives on COM1 goes back with its case flipped
 * (bit 5), so what comes back is the guest's answer, not a terminal's echo ("hello" -> "HELLO").
 *
 *   00  BA FD 03      mov  dx, 0x03FD        ; COM1 line status
 *   03  EC      poll: in   al, dx
 *   04  A8 01         test al, 1             ; a byte received?
 *   06  74 FB         jz   poll              ; -> 0x03
 *   08  B2 F8         mov  dl, 0xF8          ; COM1 data (0x03F8)
 *   0A  EC            in   al, dx
 *   0B  34 20         xor  al, 0x20
 *   0D  EE            out  dx, al
 *   0E  EB F0         jmp  0                 ; -> 0x00
 */
const SERIAL_ECHO = [0xba, 0xfd, 0x03, 0xec, 0xa8, 0x01, 0x74, 0xfb, 0xb2, 0xf8, 0xec, 0x34, 0x20, 0xee, 0xeb, 0xf0];

/** An ISO whose guest answers on its serial port: each byte back with its case flipped. */
export function makeSerialEchoIso(dir: string): Promise<string> {
  return makeBootIso(dir, 'serial-echo', bootImage(SERIAL_ECHO));
}

/** An ISO whose guest busy-loops reading its disk (high CPU, disk reads). */
export function makeBusyIso(dir: string): Promise<string> {
  return makeBootIso(dir, 'busy', bootImage(DISK_READER));
}

/** An ISO whose guest halts (low CPU). */
export function makeIdleIso(dir: string): Promise<string> {
  return makeBootIso(dir, 'idle', bootImage(IDLER));
}

function bootImage(code: number[]): Buffer {
  const image = Buffer.alloc(IMAGE_SIZE);
  Buffer.from(code).copy(image);
  image[510] = 0x55;
  image[511] = 0xaa;
  return image;
}

/** Writes (once per boot image) a no-emulation bootable ISO holding `image`; returns its path. */
async function makeBootIso(dir: string, label: string, image: Buffer): Promise<string> {
  const digest = createHash('sha256').update(image).digest('hex').slice(0, 12);
  const iso = join(dir, `${label}-${digest}.iso`);
  if (await exists(iso)) return iso;

  await mkdir(dir, { recursive: true });
  const work = await mkdtemp(join(dir, `.${label}-iso-`));
  try {
    const root = join(work, 'root');
    await mkdir(root);
    await writeFile(join(root, 'boot.bin'), image);
    const tmp = join(work, 'out.iso');
    await run('genisoimage', [
      '-quiet',
      '-o', tmp,
      '-V', 'HANGAR_TEST',
      '-no-emul-boot',
      '-boot-load-size', '4',
      '-b', 'boot.bin',
      '-c', 'boot.cat',
      root,
    ]);
    await chmod(tmp, 0o644);
    // rename is atomic: concurrent callers all end up with a complete file.
    await rename(tmp, iso);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return iso;
}
