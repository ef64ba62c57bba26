import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    expect(readFileSync(join(dir, 'patchpath.lock'), 'utf8')).toBe(String(process.pid));
    release();
  });
});
