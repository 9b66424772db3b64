// ISO files for the library (images of kind ISO): a CD/DVD image is accepted only when its own
// bytes say it is one: an ISO 9660 volume descriptor ("CD001") or the UDF volume recognition
// sequence ("BEA01", "NSR02"/"NSR03") in the descriptors that start at 32 KiB (sector 16).
import { open, stat } from 'node:fs/promises';
import { ImageRejectedError, type ImageInfo } from './qemu-img.ts';

const SECTOR = 2048;
const FIRST = 16 * SECTOR;
/** Descriptors looked at: a real ISO has its primary one first, UDF's sequence within a few. */
const DESCRIPTORS = 16;
const MAGICS = ['CD001', 'BEA01', 'NSR02', 'NSR03'];

/** What an uploaded or downloaded ISO is, or an ImageRejectedError (NOT_AN_IMAGE). */
export async function inspectIso(path: string): Promise<Omit<ImageInfo, 'format'> & { format: 'iso' }> {
  const st = await stat(path);
  if (!st.isFile()) throw new ImageRejectedError('NOT_AN_IMAGE', 'The upload is not a regular file.');
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(DESCRIPTORS * SECTOR);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, FIRST);
    for (let at = 0; at + 6 <= bytesRead; at += SECTOR) {
      const id = buffer.subarray(at + 1, at + 6).toString('latin1');
      if (MAGICS.includes(id)) return { format: 'iso', virtualSizeBytes: st.size, fileSizeBytes: st.size };
    }
  } finally {
    await handle.close();
  }
  throw new ImageRejectedError('NOT_AN_IMAGE', 'This file is not an ISO: it has neither an ISO 9660 nor a UDF volume descriptor at 32 KiB.');
}
