/**
 * Reading an input file with a size cap (docs/limits.md): a regular file no larger than
 * LIMITS.inputFileBytes, read as UTF-8, or a typed error naming the file — never a read that
 * runs until memory is gone (`/dev/zero`, a multi-gigabyte file given by mistake).
 */
import { readFileSync, statSync } from 'node:fs';
import { FileError, LimitError } from '../errors/index.ts';
import { LIMITS } from '../errors/limits.ts';

/** What a failed `fs` call's code means for a person. */
function reason(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case 'ENOENT':
      return 'no such file';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    default:
      return e.code ?? e.message;
  }
}

/**
 * The UTF-8 text of `file`.
 * @param what what the file is, for messages (`flows file`, `topology file`)
 * @param path field path of the argument or key that named the file (e.g. `['--flows']`)
 * @throws FileError (`file.read`) when it cannot be read or is not a regular file
 * @throws LimitError (`limit.input-file`) when it is larger than LIMITS.inputFileBytes
 */
export function readTextCapped(
  file: string,
  what: string,
  path: readonly (string | number)[] = [],
): string {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile())
      throw new FileError(
        [
          {
            code: 'file.read',
            path,
            message: `${what} "${file}" is ${st.isDirectory() ? 'a folder' : 'not a regular file (a device, pipe or socket)'}; give a file`,
          },
        ],
        file,
      );
    size = st.size;
  } catch (e) {
    if (e instanceof FileError) throw e;
    throw new FileError(
      [
        {
          code: 'file.read',
          path,
          message: `cannot read ${what} "${file}": ${reason(e as NodeJS.ErrnoException)}`,
        },
      ],
      file,
    );
  }
  if (size > LIMITS.inputFileBytes)
    throw new LimitError(
      [
        {
          code: 'limit.input-file',
          path,
          message: `${what} "${file}" is ${size.toLocaleString('en-US')} bytes, above the ${LIMITS.inputFileBytes.toLocaleString('en-US')}-byte limit on input files (docs/limits.md)`,
        },
      ],
      file,
    );
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    throw new FileError(
      [
        {
          code: 'file.read',
          path,
          message: `cannot read ${what} "${file}": ${reason(e as NodeJS.ErrnoException)}`,
        },
      ],
      file,
    );
  }
}
