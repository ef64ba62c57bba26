import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly pid: number) {
    super(`data directory '${dataDir}' is in use by process ${pid}; stop it first, or set PATCHPATH_DATA_DIR to another directory`);
    this.name = 'DataDirLockedError';
  }
}

/**
 * Takes the single-writer lock on a PGlite data directory. PGlite does not lock its folder, and two processes
 * on one folder silently lose committed writes (../shared/docs/DEPENDENCIES.md, problem 6), so every process
 * that opens the embedded database holds this O_EXCL pid file first. A lock left by a dead process is taken over,
 * also when its pid now belongs to another process (see {@link processIdentity}).
 *
 * @returns a function that releases the lock.
 * @throws DataDirLockedError when a live process holds it.
 */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const lockPath = join(dataDir, 'patchpath.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      const content = lockContent(process.pid);
      writeSync(fd, content);
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (readFileSync(lockPath, 'utf8') === content) unlinkSync(lockPath);
        } catch {
          // already gone
        }
      };
      process.once('exit', release);
      return release;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const holder = readHolder(lockPath);
      if (isHeld(holder)) throw new DataDirLockedError(dataDir, holder.pid);
      unlinkSync(lockPath); // stale: its process is gone
    }
  }
  throw new DataDirLockedError(dataDir, readHolder(lockPath).pid);
}

/** The lock file: the holder's pid on the first line, its {@link processIdentity} (where there is one) on the second. */
function lockContent(pid: number): string {
  const identity = processIdentity(pid);
  return identity === undefined ? String(pid) : `${pid}\n${identity}\n`;
}

function readHolder(lockPath: string): { pid: number; identity?: string } {
  const [pid, identity] = readFileSync(lockPath, 'utf8').split('\n');
  return { pid: Number(pid!.trim()), identity: identity?.trim() || undefined };
}

function isHeld(holder: { pid: number; identity?: string }): boolean {
  if (!Number.isInteger(holder.pid) || holder.pid <= 0) return false;
  // A pid alone does not tell its holder: a server killed as PID 1 of a container comes back as PID 1 again (and
  // found its own pid in the lock: "in use by process 1", forever), and after a reboot any process may have the pid.
  // The identity tells the process that wrote the lock from a later one with the same pid.
  if (holder.identity !== undefined) {
    const now = processIdentity(holder.pid);
    if (now !== undefined) return now === holder.identity;
  }
  return holder.pid === process.pid || isAlive(holder.pid);
}

/**
 * What tells one process from a later one with the same pid, on Linux: the boot and the process's start time in
 * clock ticks since boot (/proc/<pid>/stat, field 22). Undefined where /proc is not there, or when the process is gone.
 */
function processIdentity(pid: number): string | undefined {
  if (!procShowsOwnPids()) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields 3 and on follow the command name, which is in parentheses and may hold spaces and parentheses itself.
    const startTicks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
    if (!startTicks) return undefined;
    let boot = '';
    try {
      boot = readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
    } catch {
      // not readable in some sandboxes; the start time alone still tells processes of one boot apart
    }
    return `${boot}/${startTicks}`;
  } catch {
    return undefined;
  }
}

let procMatches: boolean | undefined;

/** Whether /proc is this process's own pid namespace's (it is not in a container started without its own /proc). */
function procShowsOwnPids(): boolean {
  if (procMatches === undefined) {
    try {
      procMatches = Number(readFileSync('/proc/self/stat', 'utf8').split(' ')[0]) === process.pid;
    } catch {
      procMatches = false;
    }
  }
  return procMatches;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
