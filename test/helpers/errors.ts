/**
 * Catching the error a call must throw, typed, for tests that then check its issues (style.md
 * §5: tests check the class and the codes, not the message text).
 */
import { PodsimError } from '../../src/errors/index.ts';

/** Runs `f` and returns the error of class `cls` it throws; fails when it throws nothing or another error. */
export function thrown<E extends Error>(cls: abstract new (...args: never[]) => E, f: () => unknown): E {
  try {
    f();
  } catch (e) {
    if (e instanceof cls) return e;
    throw e;
  }
  throw new Error(`expected a ${cls.name}`);
}

/**
 * The loader fuzz contract: parsing `text` as `file` either succeeds or throws a PodsimError with
 * issues whose message names the file — never another kind of error.
 */
export function parsesOrPodsimError(parse: (text: string, file: string) => unknown, text: string, file = 'fuzz.yaml'): void {
  try {
    parse(text, file);
  } catch (e) {
    if (!(e instanceof PodsimError)) throw e;
    if (e.issues.length === 0) throw new Error('a PodsimError without issues');
    const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (!(e.message.startsWith(file) || new RegExp(`^\\d+ problems in ${escaped}`).test(e.message))) throw new Error(`message does not name ${file}: ${e.message.slice(0, 120)}`);
  }
}
