/**
 * The typed error family (docs/design.md convention §5). Every user mistake becomes one of these, carrying
 * structured issues (zod's `{code, path, message}` shape) so callers can test the class and
 * the codes, and the CLI can print the message without a stack trace and exit non-zero.
 * Programming errors stay plain `Error`s and do show a stack.
 */

/** One problem found in user input: where, what code, what was wrong and what is allowed. */
export interface Issue {
  /** Stable machine-readable code, e.g. `unit.dimension`, `topology.ports-exceeded`. */
  readonly code: string;
  /** Field path inside the input, e.g. `['links', 14, 'length']`. Empty for the whole input. */
  readonly path: readonly (string | number)[];
  /** Human sentence: what was wrong, and what is allowed. */
  readonly message: string;
}

/** Renders a path as `links[14].length` (or `(root)` for the empty path). */
export function formatPath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

/** Renders one issue as `file: path: message`. */
export function formatIssue(issue: Issue, file?: string): string {
  const where = issue.path.length > 0 ? `${formatPath(issue.path)}: ` : '';
  return `${file === undefined ? '' : `${file}: `}${where}${issue.message}`;
}

/** Base class of every error a user can cause; the CLI prints `message` and exits non-zero. */
export class PodsimError extends Error {
  override readonly name: string = 'PodsimError';
  /** Every problem found, not just the first (docs/design.md convention §4). */
  readonly issues: readonly Issue[];
  /** The file the problems are in, when there is one. */
  readonly file: string | undefined;

  constructor(issues: readonly Issue[], file?: string, summary?: string) {
    const head =
      summary ??
      (issues.length === 1
        ? undefined
        : `${issues.length} problems${file === undefined ? '' : ` in ${file}`}:`);
    // Under a head that names the file, each line starts at the field path.
    const lines = issues.map((i) =>
      formatIssue(i, head === undefined || summary !== undefined ? file : undefined),
    );
    super(
      head === undefined ? lines.join('\n') : [head, ...lines.map((l) => `  - ${l}`)].join('\n'),
    );
    this.issues = issues;
    this.file = file;
  }
}

/** A value could not be parsed as the quantity asked for (wrong unit, wrong dimension, not a number). */
export class UnitError extends PodsimError {
  override readonly name = 'UnitError';
  /** Dimension that was expected, e.g. `bandwidth`. */
  readonly expected: string;
  /** The offending input text. */
  readonly input: string;
  constructor(
    input: string,
    expected: string,
    message: string,
    path: readonly (string | number)[] = [],
  ) {
    super([{ code: 'unit.invalid', path, message }]);
    this.expected = expected;
    this.input = input;
  }
}

/** A file or argument does not follow its schema (loaders, CLI flags). */
export class InputError extends PodsimError {
  override readonly name = 'InputError';
}

/** A topology is structurally wrong: ports over-subscribed, cable too long, disconnected host… */
export class TopologyError extends PodsimError {
  override readonly name = 'TopologyError';
}

/** A generator cannot build what was asked (e.g. no block design exists for these parameters). */
export class GeneratorError extends PodsimError {
  override readonly name = 'GeneratorError';
}

/**
 * Work past a documented ceiling (hosts, requests, sweep points, samples, file size, YAML depth …;
 * docs/limits.md): the message names the limit and how to raise it where that makes sense.
 */
export class LimitError extends PodsimError {
  override readonly name = 'LimitError';
}

/** A file could not be read or written (missing folder, no permission, a directory, a full disk). */
export class FileError extends PodsimError {
  override readonly name = 'FileError';
}

/**
 * The process exit code of each outcome class (docs/limits.md "Exit codes"): 0 done; 1 done, but
 * the result fails (e.g. validation found problems); 2 a usage mistake (an unknown command or
 * flag, a bad flag value); 3 bad input (a file or argument that breaks its schema or physical
 * range); 4 a documented limit exceeded; 5 a file that cannot be read or written; 70 an internal
 * error (a bug: please report it); 130 interrupted (SIGINT; 143 for SIGTERM).
 */
export const EXIT_CODES = Object.freeze({
  ok: 0,
  failed: 1,
  usage: 2,
  input: 3,
  limit: 4,
  io: 5,
  internal: 70,
  interrupted: 130,
  terminated: 143,
});

/**
 * An error of the same class as `e` (so the same exit code class) carrying `issues` instead, e.g.
 * after re-pointing library field paths at the flags a user typed. A UnitError, whose constructor
 * takes one input string, becomes an InputError (both are bad input).
 */
export function withIssues(e: PodsimError, issues: readonly Issue[]): PodsimError {
  if (e instanceof LimitError) return new LimitError(issues, e.file);
  if (e instanceof FileError) return new FileError(issues, e.file);
  if (e instanceof TopologyError) return new TopologyError(issues, e.file);
  if (e instanceof GeneratorError) return new GeneratorError(issues, e.file);
  return new InputError(issues, e.file);
}

/** Convenience: one-issue error of the given class. */
export function singleIssue(
  code: string,
  message: string,
  path: readonly (string | number)[] = [],
): Issue {
  return { code, path, message };
}

export { closest, editDistance } from './suggest.ts';
