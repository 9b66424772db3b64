// A cloud-init NoCloud seed as an ISO 9660 image with Rock Ridge and Joliet names (what
// `genisoimage -joliet -rock` makes), written in-process: a few small files in the root directory
// need no genisoimage, whose start from a large process blocks it for tens of milliseconds. Guests
// find it by its volume id ("cidata") and read the long lowercase names ("user-data").

import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { cloudInitDocuments, type CloudInitSpec } from './cloud-init.ts';

const SECTOR = 2048;
/** Sectors zeroed before the first volume descriptor (the system area). */
const SYSTEM_AREA = 16;
/** Zero sectors after the data, as genisoimage adds by default (some readers read ahead past the end). */
const PADDING = 150;
/** Regular file, read-write for its owner (root) only: the seed holds password hashes and keys. */
const FILE_MODE = 0o100600;
const DIRECTORY_MODE = 0o40555;

export interface SeedFile {
  /** Printable ASCII without a slash, e.g. "user-data". */
  name: string;
  content: string | Buffer;
}

function both16(buf: Buffer, offset: number, value: number): void {
  buf.writeUInt16LE(value, offset);
  buf.writeUInt16BE(value, offset + 2);
}

function both32(buf: Buffer, offset: number, value: number): void {
  buf.writeUInt32LE(value, offset);
  buf.writeUInt32BE(value, offset + 4);
}

/** A text field: ASCII (a-/d-characters) or UCS-2 big-endian (Joliet), space-padded. */
function text(buf: Buffer, offset: number, length: number, value: string, joliet: boolean): void {
  if (joliet) {
    for (let i = 0; i + 1 < length; i += 2) buf.writeUInt16BE(i / 2 < value.length ? value.charCodeAt(i / 2) : 0x20, offset + i);
  } else {
    buf.fill(0x20, offset, offset + length);
    buf.write(value.slice(0, length), offset, 'ascii');
  }
}

/** 17-byte volume descriptor date: "YYYYMMDDHHMMSScc" and the offset from GMT (UTC here). */
function longDate(date: Date): Buffer {
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const digits = `${p(date.getUTCFullYear(), 4)}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}00`;
  return Buffer.concat([Buffer.from(digits, 'ascii'), Buffer.from([0])]);
}

/** 7-byte directory record date. */
function shortDate(date: Date): Buffer {
  return Buffer.from([date.getUTCFullYear() - 1900, date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds(), 0]);
}

/** One directory record; id is the raw file identifier (0x00 for ".", 0x01 for ".."); systemUse: Rock Ridge entries. */
function directoryRecord(id: Buffer, extent: number, size: number, directory: boolean, date: Date, systemUse: Buffer = Buffer.alloc(0)): Buffer {
  const idPad = id.length % 2 === 0 ? 1 : 0;
  const length = 33 + id.length + idPad + systemUse.length + ((33 + id.length + idPad + systemUse.length) % 2);
  if (length > 255) throw new Error('directory record too long');
  const record = Buffer.alloc(length);
  record[0] = length;
  both32(record, 2, extent);
  both32(record, 10, size);
  shortDate(date).copy(record, 18);
  record[25] = directory ? 0x02 : 0x00;
  both16(record, 28, 1);
  record[32] = id.length;
  id.copy(record, 33);
  systemUse.copy(record, 33 + id.length + idPad);
  return record;
}

/** A System Use Sharing Protocol entry: signature, length, version 1, data. */
function entry(signature: string, data: Buffer): Buffer {
  return Buffer.concat([Buffer.from(signature, 'ascii'), Buffer.from([4 + data.length, 1]), data]);
}

/** Rock Ridge POSIX attributes: mode, links, owner root. */
function posixEntry(mode: number, links: number): Buffer {
  const data = Buffer.alloc(32);
  both32(data, 0, mode);
  both32(data, 8, links);
  return entry('PX', data);
}

/** Rock Ridge on the root's "." record: the SUSP marker and the extension reference that readers look for. */
function rockRidgeRoot(): Buffer {
  const id = Buffer.from('RRIP_1991A', 'ascii');
  const description = Buffer.from('THE ROCK RIDGE INTERCHANGE PROTOCOL PROVIDES SUPPORT FOR POSIX FILE SYSTEM SEMANTICS', 'ascii');
  const source = Buffer.from('IEEE P1282', 'ascii');
  return Buffer.concat([
    entry('SP', Buffer.from([0xbe, 0xef, 0])),
    posixEntry(DIRECTORY_MODE, 2),
    entry('ER', Buffer.concat([Buffer.from([id.length, description.length, source.length, 1]), id, description, source])),
  ]);
}

/** An ISO 9660 level 1 name ("USER_DAT.;1") for a primary-tree reader without Joliet. */
function shortName(name: string): string {
  const clean = (s: string) => s.toUpperCase().replace(/[^A-Z0-9_]/g, '_');
  const dot = name.lastIndexOf('.');
  const base = clean(dot > 0 ? name.slice(0, dot) : name).slice(0, 8);
  const extension = dot > 0 ? clean(name.slice(dot + 1)).slice(0, 3) : '';
  return `${base}.${extension};1`;
}

/**
 * The sorted records of a one-level directory: ".", "..", then the files by identifier; with Rock
 * Ridge (the primary tree), the long names and modes travel in each record's system use field.
 */
function directory(self: number, entries: Array<{ id: Buffer; name: string; extent: number; size: number }>, date: Date, rockRidge: boolean): Buffer {
  const sorted = [...entries].sort((a, b) => Buffer.compare(a.id, b.id));
  const records = [
    directoryRecord(Buffer.from([0]), self, SECTOR, true, date, rockRidge ? rockRidgeRoot() : undefined),
    directoryRecord(Buffer.from([1]), self, SECTOR, true, date, rockRidge ? posixEntry(DIRECTORY_MODE, 2) : undefined),
    ...sorted.map((e) => directoryRecord(e.id, e.extent, e.size, false, date, rockRidge ? Buffer.concat([posixEntry(FILE_MODE, 1), entry('NM', Buffer.concat([Buffer.from([0]), Buffer.from(e.name, 'ascii')]))]) : undefined)),
  ];
  const body = Buffer.concat(records);
  if (body.length > SECTOR) throw new Error('too many files for a one-sector seed directory');
  return body;
}

/** A path table holding only the root directory, little- or big-endian. */
function pathTable(rootExtent: number, bigEndian: boolean): Buffer {
  const table = Buffer.alloc(10);
  table[0] = 1;
  if (bigEndian) table.writeUInt32BE(rootExtent, 2);
  else table.writeUInt32LE(rootExtent, 2);
  if (bigEndian) table.writeUInt16BE(1, 6);
  else table.writeUInt16LE(1, 6);
  return table;
}

/** An ISO image with the given files in its root directory, labelled volumeId (at most 16 characters). */
export function seedIsoImage(volumeId: string, files: SeedFile[], date = new Date()): Buffer {
  if (!/^[A-Za-z0-9_]{1,16}$/.test(volumeId)) throw new Error(`invalid volume id: ${JSON.stringify(volumeId)}`);
  for (const f of files) if (!/^[\x21-\x7e]{1,64}$/.test(f.name) || f.name.includes('/') || f.name.includes(';')) throw new Error(`invalid seed file name: ${JSON.stringify(f.name)}`);
  const shortNames = files.map((f) => shortName(f.name));
  if (new Set(shortNames).size !== files.length || new Set(files.map((f) => f.name)).size !== files.length) throw new Error('seed file names must stay distinct');

  // Layout: system area, PVD, Joliet SVD, terminator, 4 path tables, 2 root directories, files.
  const primaryTables = { l: SYSTEM_AREA + 3, m: SYSTEM_AREA + 4 };
  const jolietTables = { l: SYSTEM_AREA + 5, m: SYSTEM_AREA + 6 };
  const primaryRoot = SYSTEM_AREA + 7;
  const jolietRoot = SYSTEM_AREA + 8;
  const contents = files.map((f) => (typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : f.content));
  const extents: number[] = [];
  let next = SYSTEM_AREA + 9;
  for (const content of contents) {
    extents.push(next);
    next += Math.max(1, Math.ceil(content.length / SECTOR));
  }
  const totalSectors = next + PADDING;
  const image = Buffer.alloc(totalSectors * SECTOR);

  const descriptor = (sector: number, joliet: boolean, rootExtent: number, tables: { l: number; m: number }) => {
    const d = image.subarray(sector * SECTOR, (sector + 1) * SECTOR);
    d[0] = joliet ? 2 : 1;
    d.write('CD001', 1, 'ascii');
    d[6] = 1;
    text(d, 8, 32, 'LINUX', joliet);
    text(d, 40, 32, volumeId, joliet);
    both32(d, 80, totalSectors);
    // UCS-2 level 3: what makes a supplementary descriptor a Joliet one.
    if (joliet) d.write('%/E', 88, 'ascii');
    both16(d, 120, 1);
    both16(d, 124, 1);
    both16(d, 128, SECTOR);
    both32(d, 132, 10);
    d.writeUInt32LE(tables.l, 140);
    d.writeUInt32BE(tables.m, 148);
    directoryRecord(Buffer.from([0]), rootExtent, SECTOR, true, date).copy(d, 156);
    for (const [offset, length] of [[190, 128], [318, 128], [446, 128], [574, 128], [702, 37], [739, 37], [776, 37]] as const) text(d, offset, length, '', joliet);
    longDate(date).copy(d, 813);
    longDate(date).copy(d, 830);
    Buffer.concat([Buffer.from('0000000000000000', 'ascii'), Buffer.from([0])]).copy(d, 847);
    longDate(date).copy(d, 864);
    d[881] = 1;
  };
  descriptor(SYSTEM_AREA, false, primaryRoot, primaryTables);
  descriptor(SYSTEM_AREA + 1, true, jolietRoot, jolietTables);
  const terminator = image.subarray((SYSTEM_AREA + 2) * SECTOR);
  terminator[0] = 255;
  terminator.write('CD001', 1, 'ascii');
  terminator[6] = 1;

  pathTable(primaryRoot, false).copy(image, primaryTables.l * SECTOR);
  pathTable(primaryRoot, true).copy(image, primaryTables.m * SECTOR);
  pathTable(jolietRoot, false).copy(image, jolietTables.l * SECTOR);
  pathTable(jolietRoot, true).copy(image, jolietTables.m * SECTOR);

  const ucs2 = (s: string) => Buffer.from(s, 'utf16le').swap16();
  directory(primaryRoot, files.map((f, i) => ({ id: Buffer.from(shortNames[i], 'ascii'), name: f.name, extent: extents[i], size: contents[i].length })), date, true).copy(image, primaryRoot * SECTOR);
  directory(jolietRoot, files.map((f, i) => ({ id: ucs2(f.name), name: f.name, extent: extents[i], size: contents[i].length })), date, false).copy(image, jolietRoot * SECTOR);
  contents.forEach((content, i) => content.copy(image, extents[i] * SECTOR));
  return image;
}

/**
 * Writes the NoCloud seed for spec (volume id "cidata": user-data, meta-data, network-config) to
 * outputPath, readable by its owner only: it holds password hashes and keys.
 */
export async function writeSeedIso(spec: CloudInitSpec, outputPath: string): Promise<void> {
  const documents = cloudInitDocuments(spec);
  const files: SeedFile[] = [
    { name: 'user-data', content: documents.userData },
    { name: 'meta-data', content: documents.metaData },
  ];
  if (documents.networkConfig !== null) files.push({ name: 'network-config', content: documents.networkConfig });
  await writeFile(resolve(outputPath), seedIsoImage('cidata', files), { mode: 0o600 });
}
