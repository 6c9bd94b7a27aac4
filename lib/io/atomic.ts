/**
 * Atomic file writes: write to a temporary file in the same directory, fsync it, rename it over the
 * target, fsync the directory. A kill at any moment leaves either the old file or the new one, and
 * possibly a `.<name>.<pid>.<time>.tmp` orphan, which the next write to that file removes.
 */
import * as fs from 'fs';
import * as path from 'path';
import { MmgError } from '../errors';

/**
 * mkdir -p that always ends: each missing ancestor is created one level at a time, and any failure
 * is an MmgError naming the folder. (Node's recursive mkdirSync loops forever on some paths such
 * as /proc/x, where mkdir answers ENOENT although the parent exists.)
 */
export function ensureDir(dir: string, what = 'output folder'): void {
  const abs = path.resolve(dir);
  const missing: string[] = [];
  let d = abs;
  for (;;) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(d);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR')
        throw new MmgError(`${what} ${dir}: cannot use ${d} (${(e as NodeJS.ErrnoException).code})`, 'MMG_E_ARG');
    }
    if (st) {
      if (!st.isDirectory()) throw new MmgError(`${what} ${dir}: ${d} exists and is not a folder`, 'MMG_E_ARG');
      break;
    }
    missing.push(d);
    const up = path.dirname(d);
    if (up === d) break;
    d = up;
  }
  for (const m of missing.reverse()) {
    try {
      fs.mkdirSync(m);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && fs.statSync(m).isDirectory()) continue;
      throw new MmgError(`${what} ${dir}: cannot create ${m} (${code ?? (e as Error).message})`, 'MMG_E_ARG');
    }
  }
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes temporaries of `file` left by writers that no longer run (killed mid-write). */
export function removeOrphanTemps(file: string): string[] {
  const dir = path.dirname(path.resolve(file));
  const base = path.basename(file);
  const removed: string[] = [];
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return removed;
  }
  const prefix = `.${base}.`;
  for (const n of names) {
    if (!n.startsWith(prefix) || !n.endsWith('.tmp')) continue;
    const m = /^(\d+)\.(\d+)\.tmp$/.exec(n.slice(prefix.length));
    if (!m || alive(Number(m[1]))) continue;
    try {
      fs.rmSync(path.join(dir, n), { force: true });
      removed.push(n);
    } catch {
      // Best effort: an orphan we cannot remove does no harm beyond its disk space.
    }
  }
  return removed;
}

/** `chunks` may be an iterable, consumed once while writing (so a caller can stream large data). */
export function writeFileAtomic(file: string, chunks: Buffer | string | Iterable<Buffer | string>): void {
  const dir = path.dirname(path.resolve(file));
  ensureDir(dir);
  removeOrphanTemps(file);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  let fd: number;
  try {
    fd = fs.openSync(tmp, 'w');
  } catch (e) {
    throw new MmgError(`${file}: cannot write (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, 'MMG_E_ARG');
  }
  try {
    for (const c of typeof chunks === 'string' || Buffer.isBuffer(chunks) ? [chunks] : chunks) {
      const buf = typeof c === 'string' ? Buffer.from(c, 'utf8') : c;
      let off = 0;
      while (off < buf.length) off += fs.writeSync(fd, buf, off, buf.length - off);
    }
    fs.fsyncSync(fd);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(tmp, { force: true });
    throw e;
  }
  fs.closeSync(fd);
  fs.renameSync(tmp, file);
  try {
    const dfd = fs.openSync(dir, 'r');
    fs.fsyncSync(dfd);
    fs.closeSync(dfd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename itself is still atomic.
  }
}
