import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { DataDirLockedError, lockDataDir } from '../../src/db/data-dir-lock.js';

describe('lockDataDir', () => {
  const dirs: string[] = [];
  const newDir = () => {
    const d = mkdtempSync(join(tmpdir(), 'patchpath-lock-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  it('refuses a second holder while the first holds the folder', () => {
    const dir = newDir();
    const release = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
    expect(existsSync(join(dir, 'patchpath.lock'))).toBe(false);
  });

  it('names the holding process and what to do in its message', async () => {
    const dir = newDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, 'patchpath.lock'), String(child.pid));
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${child.pid}.*PATCHPATH_DATA_DIR`));
    } finally {
      child.kill();
    }
  });

  it('takes over a lock left by a process that is gone', async () => {
    const dir = newDir();
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((r) => child.on('exit', r));
    writeFileSync(join(dir, 'patchpath.lock'), String(child.pid));
    const release = lockDataDir(dir);
    expect(holderPid(dir)).toBe(process.pid);
    release();
  });

  it('refuses a lock that a live process took, whose identity it wrote', async () => {
    const dir = newDir();
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', `import(${JSON.stringify(LOCK_MODULE)}).then((m) => { m.lockDataDir(${JSON.stringify(dir)}); console.log('locked'); setInterval(() => {}, 1000); })`], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise((resolve) => child.stdout.on('data', resolve));
      expect(holderPid(dir)).toBe(child.pid);
      expect(() => lockDataDir(dir)).toThrow(new RegExp(`in use by process ${child.pid}`));
    } finally {
      child.kill('SIGKILL');
    }
  });

  // A server killed as PID 1 of a container comes back as PID 1, and after a reboot the pid may be any process's:
  // the lock names a process by its pid and when it started, so a later process with the pid does not hold it.
  it('takes over a lock of a process that is gone, now that another process has its pid', async () => {
    const dir = newDir();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)']);
    try {
      writeFileSync(join(dir, 'patchpath.lock'), `${child.pid}\nan-earlier-boot/12345\n`);
      const release = lockDataDir(dir);
      expect(holderPid(dir)).toBe(process.pid);
      release();
    } finally {
      child.kill();
    }
  });

  it('takes over a lock of an earlier process with its own pid', () => {
    const dir = newDir();
    writeFileSync(join(dir, 'patchpath.lock'), `${process.pid}\nan-earlier-boot/12345\n`);
    const release = lockDataDir(dir);
    expect(holderPid(dir)).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(DataDirLockedError);
    release();
  });
});

const LOCK_MODULE = fileURLToPath(new URL('../../src/db/data-dir-lock.ts', import.meta.url));

function holderPid(dir: string): number {
  return Number(readFileSync(join(dir, 'patchpath.lock'), 'utf8').split('\n')[0]);
}
