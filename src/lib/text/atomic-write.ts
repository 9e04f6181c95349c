import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';

/**
 * Whether the write bit of the permission class this process falls in is set: the owner's for the
 * owner and for root (which the kernel lets write anyway), else the group's or the others'.
 */
function writableByMode(info: { mode: number; uid: number; gid: number }): boolean {
  const uid = process.getuid?.();
  if (uid === undefined) return true;
  if (uid === 0 || uid === info.uid) return (info.mode & 0o200) !== 0;
  if (process.getgroups?.().includes(info.gid) || process.getgid?.() === info.gid) return (info.mode & 0o020) !== 0;
  return (info.mode & 0o002) !== 0;
}

/**
 * Writes a file whole or not at all: a temporary file in the same folder, flushed to disk, then
 * renamed over the original, so a crash leaves the old file or the new one, never half of either.
 * Keeps the mode, writes through a symbolic link to its target, and refuses when the file changed
 * since it was read (`expected`); without `expected` the file may be new (a report, say).
 */
export async function writeFileAtomic(absolute: string, content: string, expected?: string): Promise<void> {
  await mkdir(path.dirname(absolute), { recursive: true });
  const existing = await realpath(absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT' && expected === undefined) return undefined;
    throw error;
  });
  const target = existing ?? absolute;
  const info = existing ? await stat(existing) : { mode: 0o666 & ~process.umask() };
  // A rename would replace a read-only file regardless; its mode says the owner does not want it changed.
  if (existing) {
    await access(target, constants.W_OK);
    // access() says yes to root whatever the mode (CI containers run as root): the mode bits decide.
    if (!writableByMode(info as { mode: number; uid: number; gid: number })) {
      throw Object.assign(new Error(`EACCES: the file's mode (${(info.mode & 0o777).toString(8)}) does not allow writing`), {
        code: 'EACCES',
      });
    }
  }
  const temporary = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', info.mode & 0o7777);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      // The umask may have narrowed the mode given to open().
      await handle.chmod(info.mode & 0o7777);
      await handle.sync();
    } finally {
      await handle.close();
    }
    if (expected !== undefined && (await readFile(target, 'utf8')) !== expected) {
      throw Object.assign(new Error('the file changed while it was being fixed'), { code: 'ECHANGED' });
    }
    await rename(temporary, target);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
  // The rename is durable only once the folder itself is flushed; not every platform allows that.
  const folder = await open(path.dirname(target), 'r').catch(() => undefined);
  if (folder)
    await folder
      .sync()
      .catch(() => undefined)
      .finally(() => folder.close());
}
