/**
 * Stopping long work cleanly on SIGINT (Ctrl-C) or SIGTERM (a scheduler's stop; docs/sweeps.md
 * "Interrupting and resuming"): while a sweep or a `run --records` is under way the signals are
 * caught instead of killing the process, the work is told to stop through an AbortSignal
 * (workers terminated, no new point started), the command keeps what finished, removes its
 * temporary files, says so in one line and ends with EXIT_CODES.interrupted (130) or
 * EXIT_CODES.terminated (143) — the shell's own codes for those signals. A second signal while
 * stopping ends the process at once.
 */
import { EXIT_CODES } from '../errors/index.ts';

/** The signals a long command stops cleanly on. */
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/** A watch on SIGINT/SIGTERM for the length of one piece of work. */
export interface InterruptWatch {
  /** Aborted when the first signal arrives (its reason is the signal's name). */
  readonly signal: AbortSignal;
  /** The signal that arrived, if one did. */
  readonly received: () => NodeJS.Signals | undefined;
  /** Stops watching: the signals' default handling (or other listeners) apply again. */
  readonly dispose: () => void;
}

/** The exit code of a run stopped by `signal` (128 + the signal's number, as shells report). */
export function interruptExitCode(signal: NodeJS.Signals): number {
  return signal === 'SIGTERM' ? EXIT_CODES.terminated : EXIT_CODES.interrupted;
}

/**
 * Catches SIGINT and SIGTERM until `dispose()`: the first aborts `signal`; a second one exits
 * the process at once with the signal's exit code (after `onForce`, which should remove
 * temporary files).
 * @example const watch = watchInterrupts(); try { await work(watch.signal) } finally { watch.dispose() }
 */
export function watchInterrupts(onForce?: () => void): InterruptWatch {
  const controller = new AbortController();
  let received: NodeJS.Signals | undefined;
  const handler = (sig: NodeJS.Signals): void => {
    if (received === undefined) {
      received = sig;
      controller.abort(sig);
      return;
    }
    onForce?.();
    process.exit(interruptExitCode(received));
  };
  for (const s of SIGNALS) process.on(s, handler);
  return {
    signal: controller.signal,
    received: () => received,
    dispose: () => {
      for (const s of SIGNALS) process.off(s, handler);
    },
  };
}
