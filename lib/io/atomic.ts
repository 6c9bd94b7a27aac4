/**
 * Atomic file writes: write to a temporary file in the same directory, fsync it, rename it over the
 * target, fsync the directory. A kill at any moment leaves either the old file or the new one.
 */
import * as fs from 'fs';
import * as path from 'path';

/** `chunks` may be an iterable, consumed once while writing (so a caller can stream large data). */
export function writeFileAtomic(file: string, chunks: Buffer | string | Iterable<Buffer | string>): void {
  const dir = path.dirname(path.resolve(file));
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  const fd = fs.openSync(tmp, 'w');
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
