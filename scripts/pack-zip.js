// @ts-check
// A plain ZIP writer for the Windows archive: Explorer's "Extract All" and PowerShell's
// Expand-Archive open it on every Windows Server, where tar.exe exists only from 2019 on.
// Deflate from node:zlib; no ZIP64 (the hub's archive is far below 4 GB and 65535 entries).
import { closeSync, lstatSync, openSync, readdirSync, readFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { crc32, deflateRawSync } from 'node:zlib';

/**
 * MS-DOS date and time fields of a moment (local time, two-second steps), as ZIP stores them.
 * @param {Date} when
 */
function dosTime(when) {
  const time = (when.getHours() << 11) | (when.getMinutes() << 5) | Math.floor(when.getSeconds() / 2);
  const date = ((Math.max(when.getFullYear(), 1980) - 1980) << 9) | ((when.getMonth() + 1) << 5) | when.getDate();
  return { time, date };
}

/**
 * Every folder and file under `dir`, as ZIP names (`top/sub/file`, folders ending in `/`), sorted.
 * @param {string} dir
 * @param {string} prefix
 * @returns {Array<{ name: string, file: string | null }>}
 */
function entries(dir, prefix) {
  /** @type {Array<{ name: string, file: string | null }>} */
  const out = [{ name: `${prefix}/`, file: null }];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    const stat = lstatSync(full);
    if (stat.isSymbolicLink()) throw new Error(`${full} is a symbolic link: a Windows archive cannot carry it`);
    if (stat.isDirectory()) out.push(...entries(full, `${prefix}/${name}`));
    else out.push({ name: `${prefix}/${name}`, file: full });
  }
  return out;
}

/**
 * Writes `dir` (as its own top folder) into the ZIP file `outFile`.
 * @param {string} dir
 * @param {string} outFile
 */
export function writeZip(dir, outFile) {
  const list = entries(dir, path.basename(dir));
  if (list.length >= 0xffff) throw new Error('too many files for a ZIP without ZIP64');
  const { time, date } = dosTime(new Date());
  const fd = openSync(outFile, 'w');
  /** @type {Buffer[]} */
  const central = [];
  let offset = 0;
  /** @param {Buffer} chunk */
  const write = (chunk) => {
    writeSync(fd, chunk);
    offset += chunk.length;
  };
  try {
    for (const { name, file } of list) {
      const nameBytes = Buffer.from(name, 'utf8');
      const data = file === null ? Buffer.alloc(0) : readFileSync(file);
      const deflated = data.length > 0 ? deflateRawSync(data, { level: 9 }) : data;
      const method = deflated.length < data.length ? 8 : 0;
      const body = method === 8 ? deflated : data;
      if (offset + body.length >= 0xffffffff) throw new Error('archive too large for a ZIP without ZIP64');
      const crc = crc32(data);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate, folders)
      local.writeUInt16LE(0x0800, 6); // names are UTF-8 (Cyrillic-safe)
      local.writeUInt16LE(method, 8);
      local.writeUInt16LE(time, 10);
      local.writeUInt16LE(date, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(nameBytes.length, 26);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(20, 4); // made by: MS-DOS attributes, 2.0
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x0800, 8);
      header.writeUInt16LE(method, 10);
      header.writeUInt16LE(time, 12);
      header.writeUInt16LE(date, 14);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(body.length, 20);
      header.writeUInt32LE(data.length, 24);
      header.writeUInt16LE(nameBytes.length, 28);
      header.writeUInt32LE(file === null ? 0x10 : 0, 38); // the MS-DOS folder attribute
      header.writeUInt32LE(offset, 42);
      central.push(header, nameBytes);
      write(local);
      write(nameBytes);
      write(body);
    }
    const centralStart = offset;
    for (const chunk of central) write(chunk);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(list.length, 8);
    end.writeUInt16LE(list.length, 10);
    end.writeUInt32LE(offset - centralStart, 12);
    end.writeUInt32LE(centralStart, 16);
    write(end);
  } finally {
    closeSync(fd);
  }
}
