/**
 * Writes that cannot half-fail (issue 15 item 2): `prepareOutput` refuses an unwritable target
 * before any work runs, and `writeFileAtomic` leaves the old file or nothing, never a temporary
 * file or half a file.
 */
import {
  chmodSync,
  existsSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileError } from '../../src/errors/index.ts';
import { prepareOutput, prepareOutputFolder, writeFileAtomic } from '../../src/cli/output.ts';
import { tempDir, type TempDir } from './run.ts';

let t: TempDir;
beforeEach(() => {
  t = tempDir('podsim-output-');
});
afterEach(() => {
  chmodSync(t.dir, 0o755);
  t.cleanup();
});

/** The FileError `fn` throws (failing the test when it throws nothing or something else). */
function fileError(fn: () => void): FileError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FileError);
    return e as FileError;
  }
  throw new Error('expected a FileError');
}

/** True when chmod stops this process writing (false as root, where tests use other cases). */
function permissionsApply(): boolean {
  const d = tempDir('podsim-perm-');
  try {
    chmodSync(d.dir, 0o555);
    try {
      writeFileSync(join(d.dir, 'x'), '');
      return false;
    } catch {
      return true;
    }
  } finally {
    chmodSync(d.dir, 0o755);
    d.cleanup();
  }
}

describe('writeFileAtomic', () => {
  it('creates missing folders and writes the text', () => {
    const file = t.path('a/b/c.json');
    writeFileAtomic(file, '{}\n');
    expect(readFileSync(file, 'utf8')).toBe('{}\n');
    expect(readdirSync(t.path('a/b'))).toEqual(['c.json']);
  });

  it('replaces an existing file whole and leaves no temporary file', () => {
    const file = t.file('out.txt', 'old\n');
    writeFileAtomic(file, 'new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(readdirSync(t.dir)).toEqual(['out.txt']);
  });

  it('writes through a symbolic link, keeping the link', () => {
    const real = t.file('real.txt', 'old\n');
    const link = t.path('link.txt');
    symlinkSync(real, link);
    writeFileAtomic(link, 'new\n');
    expect(readFileSync(real, 'utf8')).toBe('new\n');
    expect(readdirSync(t.dir).sort()).toEqual(['link.txt', 'real.txt']);
  });

  it('refuses a folder as the file, naming the path, and leaves the folder as it was', () => {
    const e = fileError(() => writeFileAtomic(t.dir, 'x', '-o'));
    expect(e.message).toContain(`-o: cannot write "${t.dir}"`);
    expect(e.message).toContain('folder');
    expect(e.issues[0]?.code).toBe('file.write');
    expect(readdirSync(t.dir)).toEqual([]);
  });

  it('refuses a path under a file and leaves that file intact', () => {
    const parent = t.file('plain', 'keep\n');
    const e = fileError(() => writeFileAtomic(join(parent, 'out.json'), 'x'));
    expect(e.message).toContain('is a file, not a folder');
    expect(readFileSync(parent, 'utf8')).toBe('keep\n');
  });

  it.runIf(existsSync('/dev/full'))('reports a full device as a FileError', () => {
    const e = fileError(() => writeFileAtomic('/dev/full', 'x', '-o'));
    expect(e.message).toBe('-o: cannot write "/dev/full": no space left on the device');
  });

  it('a write that fails leaves the old file and no temporary file', () => {
    const file = t.file('keep.txt', 'old\n');
    const e = fileError(() => writeFileAtomic(join(file, 'x'), 'new\n'));
    expect(e).toBeInstanceOf(FileError);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readdirSync(t.dir)).toEqual(['keep.txt']);
  });

  it.runIf(permissionsApply())(
    'a read-only folder keeps its old file and gains no temporary file',
    () => {
      const file = t.file('keep.txt', 'old\n');
      chmodSync(t.dir, 0o555);
      const e = fileError(() => writeFileAtomic(file, 'new\n', '-o'));
      expect(e.message).toContain('permission denied');
      chmodSync(t.dir, 0o755);
      expect(readFileSync(file, 'utf8')).toBe('old\n');
      expect(readdirSync(t.dir)).toEqual(['keep.txt']);
    },
  );

  it('keeps the mode of the file it replaces', () => {
    const file = t.file('mode.txt', 'old\n');
    chmodSync(file, 0o640);
    writeFileAtomic(file, 'new\n');
    expect(statSync(file).mode & 0o777).toBe(0o640);
  });
});

describe('prepareOutput', () => {
  it('passes a new file under folders still to be created, creating nothing', () => {
    prepareOutput(t.path('x/y/out.json'), '-o');
    expect(readdirSync(t.dir)).toEqual([]);
  });

  it('passes standard output and an existing writable file', () => {
    prepareOutput('-', '-o');
    prepareOutput(t.file('old.json', '{}'), '-o');
    expect(readdirSync(t.dir)).toEqual(['old.json']);
  });

  it.each([
    ['an empty name', () => '', 'the name is empty'],
    ['blank name', () => '  ', 'the name is empty'],
    ['a folder', () => t.dir, 'it is a folder'],
    ['a path under a file', () => join(t.file('f', ''), 'out.json'), 'is a file, not a folder'],
    [
      'a path two levels under a file',
      () => join(t.file('g', ''), 'a', 'out.json'),
      'is a file, not a folder',
    ],
    ['a NUL byte', () => t.path('a\0b'), 'NUL'],
    ['a name over 255 bytes', () => t.path('x'.repeat(300)), 'too long'],
  ])('refuses %s with a FileError naming the flag', (_, path, why) => {
    const file = path();
    const e = fileError(() => prepareOutput(file, '--records'));
    expect(e.message).toContain(`--records: cannot write "${file}"`);
    expect(e.message).toContain(why);
    expect(e.issues[0]?.path).toEqual(['--records']);
  });

  it.runIf(existsSync('/dev/full'))('refuses /dev/full and passes /dev/null', () => {
    expect(fileError(() => prepareOutput('/dev/full', '-o')).message).toContain('no space left');
    prepareOutput('/dev/null', '-o');
  });

  it.runIf(permissionsApply())('refuses a read-only folder', () => {
    chmodSync(t.dir, 0o555);
    expect(fileError(() => prepareOutput(t.path('o.json'), '-o')).message).toContain(
      'permission denied',
    );
  });
});

describe('prepareOutputFolder', () => {
  it('passes a folder to be created and refuses a file', () => {
    prepareOutputFolder(t.path('r/s'), '--report');
    expect(readdirSync(t.dir)).toEqual([]);
    const f = t.file('file', '');
    expect(fileError(() => prepareOutputFolder(f, '--report')).message).toContain(
      'it is a file, not a folder',
    );
    expect(fileError(() => prepareOutputFolder('', '--report')).message).toContain('empty');
  });
});
