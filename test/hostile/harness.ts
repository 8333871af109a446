/**
 * The hostile-input harness (issue 15 item 6, docs/hostile-inputs.md): runs one CLI case in a
 * sandbox process (test/hostile/worker.mjs) and checks the contract every run must keep,
 * whatever it was given:
 *
 * - it ends: within its time budget and heap cap (a runaway case is terminated and reported);
 * - no JavaScript escapes: no uncaught throw, no stack-trace line, no `TypeError`/`RangeError`…;
 * - the exit code is in the class the case allows (`EXIT_CODES`: usage 2, input 3, limit 4, io 5),
 *   never 70 (internal) and never an exit 0 for a case that must be refused;
 * - a refusal is one `podsim:` message naming what the case says it must (file, field, argument);
 * - no `NaN`/`Infinity` in any output and no `null` where a number belongs in JSON;
 * - no output file half-written: a refused write leaves the old file or nothing, and no temporary
 *   file beside it.
 *
 * The sandbox process is reused between cases (loading the CLI through tsx costs ≈ 1 s) and
 * replaced after a case that had to be killed (time-out or resident memory past its cap).
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { EXIT_CODES } from '../../src/errors/index.ts';

/** The outcome classes a case may end in (names of {@link EXIT_CODES}). */
export type Outcome = 'ok' | 'failed' | 'usage' | 'input' | 'limit' | 'io';

/** Every class a refusal may end in. */
export const REFUSED: readonly Outcome[] = ['usage', 'input', 'limit', 'io'];
/** A bad file or argument: its content, not a resource or a write. */
export const BAD_INPUT: readonly Outcome[] = ['usage', 'input'];

/** What one sandboxed run did. */
export interface RunResult {
  readonly stdout: string;
  readonly stderr: string;
  /** The exit code, or undefined when the run did not end by itself (crash, time-out, memory). */
  readonly exitCode: number | undefined;
  /** An exception that escaped `main` (message and stack). */
  readonly crash: string | undefined;
  /** Terminated after its time budget. */
  readonly timedOut: boolean;
  /** The worker died: out of heap, or an error outside `main`. */
  readonly died: string | undefined;
  readonly wallMs: number;
  /** Object.prototype's own keys after the run, when the run changed them (prototype pollution). */
  readonly polluted: string | undefined;
}

/** Default time budget of one case (ms); PODSIM_HOSTILE_TIMEOUT_MS overrides it. */
export const CASE_TIMEOUT_MS = Number(process.env['PODSIM_HOSTILE_TIMEOUT_MS'] ?? 10_000);
/** V8 heap cap of the sandbox (MB). */
export const CASE_HEAP_MB = 1024;
/**
 * Resident-memory cap of the sandbox (MB): a case whose process grows past it (on or off the V8
 * heap) is killed and reported as unbounded memory. The machine is shared; a runaway case must
 * never reach the OOM killer.
 */
export const CASE_RSS_MB = Number(process.env['PODSIM_HOSTILE_RSS_MB'] ?? 1536);

interface Pending {
  resolve: (r: RunResult) => void;
  started: number;
  timer: NodeJS.Timeout;
  watchdog: NodeJS.Timeout;
}

/** Resident set size of process `pid` in MB (0 when it cannot be read). */
function rssMb(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m === null ? 0 : Number(m[1]) / 1024;
  } catch {
    return 0;
  }
}

const WORKER = fileURLToPath(new URL('./worker.mjs', import.meta.url));

/** A reusable child process running the CLI; one case at a time. */
export class Sandbox {
  private child: ChildProcess | undefined;
  private ready: Promise<void> | undefined;
  private pending: Pending | undefined;
  private nextId = 0;
  private stray: string[] = [];

  private start(): Promise<void> {
    const child = fork(WORKER, [], {
      execArgv: [`--max-old-space-size=${CASE_HEAP_MB}`],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    // Anything the CLI prints around our capture (it should not) must not reach vitest's output.
    child.stdout?.resume();
    child.stderr?.resume();
    this.child = child;
    this.ready = new Promise<void>((resolve, reject) => {
      child.on('message', (m: { kind: string } & Record<string, unknown>) => {
        if (m.kind === 'ready') resolve();
        else if (m.kind === 'stray') this.stray.push(String(m['error']));
        else if (m.kind === 'done') this.finish(m);
      });
      child.on('error', (e) => {
        reject(e);
        this.finish(undefined, `${e.name}: ${e.message}`);
      });
      child.on('exit', (code, signal) => {
        if (this.child === child) this.child = undefined;
        reject(new Error(`the hostile sandbox exited (${signal ?? code}) before it was ready`));
        this.finish(undefined, `the process ended (${signal ?? `exit ${code}`})`);
      });
    });
    return this.ready;
  }

  private finish(m: Record<string, unknown> | undefined, died?: string, timedOut = false): void {
    const p = this.pending;
    if (p === undefined) return;
    this.pending = undefined;
    clearTimeout(p.timer);
    clearInterval(p.watchdog);
    const stray = this.stray.splice(0);
    p.resolve({
      stdout: String(m?.['stdout'] ?? ''),
      stderr: String(m?.['stderr'] ?? ''),
      exitCode: typeof m?.['exitCode'] === 'number' ? m['exitCode'] : undefined,
      crash:
        m?.['crash'] !== undefined || stray.length > 0
          ? [m?.['crash'], ...stray].filter((x) => x !== undefined).join('\n')
          : undefined,
      timedOut,
      died,
      wallMs: Date.now() - p.started,
      polluted: typeof m?.['polluted'] === 'string' ? m['polluted'] : undefined,
    });
  }

  /** Ends the child now and reports the pending case as `died`/`timedOut`. */
  private kill(died: string | undefined, timedOut: boolean): void {
    const child = this.child;
    this.child = undefined;
    this.finish(undefined, died, timedOut);
    child?.kill('SIGKILL');
  }

  /** Runs `podsim <args>` in the sandbox, killing it after `timeoutMs` or past CASE_RSS_MB. */
  async run(args: readonly string[], timeoutMs = CASE_TIMEOUT_MS): Promise<RunResult> {
    if (this.child === undefined) await this.start();
    await this.ready;
    const child = this.child;
    if (child?.pid === undefined) throw new Error('the hostile sandbox did not start');
    const pid = child.pid;
    return new Promise<RunResult>((resolve) => {
      const started = Date.now();
      const timer = setTimeout(() => this.kill(undefined, true), timeoutMs);
      const watchdog = setInterval(() => {
        const mb = rssMb(pid);
        if (mb > CASE_RSS_MB)
          this.kill(`resident memory passed ${CASE_RSS_MB} MB (${Math.round(mb)} MB)`, false);
      }, 50);
      this.pending = { resolve, started, timer, watchdog };
      child.send({ id: this.nextId++, args: [...args] });
    });
  }

  /** Ends the child (call in afterAll). */
  close(): Promise<void> {
    const c = this.child;
    this.child = undefined;
    c?.kill('SIGKILL');
    return Promise.resolve();
  }
}

/** The exit code → class name, for messages. */
export function outcomeOf(code: number | undefined): string {
  if (code === undefined) return 'no exit';
  const hit = Object.entries(EXIT_CODES).find(([, v]) => v === code);
  return hit === undefined ? `exit ${code}` : `${hit[0]} (${code})`;
}

/** What a case expects. */
export interface Expectation {
  /** The classes the run may end in. */
  readonly allow: readonly Outcome[];
  /** Text the `podsim:` message must contain (case-insensitive), when the run is refused. */
  readonly mentions?: readonly string[];
  /** Output files the run may write: checked for half-written content and temporary leftovers. */
  readonly outputs?: readonly OutputCheck[];
}

/** An output path and what it held before the run (undefined: nothing). */
export interface OutputCheck {
  readonly path: string;
  readonly before: string | undefined;
}

const STACK_LINE = /\n\s+at [^\n]*(\(|:\d+:\d+)/;
const JS_ERROR_NAMES =
  /\b(TypeError|RangeError|ReferenceError|SyntaxError: Unexpected|Maximum call stack|Unhandled 'error' event|ERR_[A-Z_]+|Index Out Of Bounds|heap out of memory)\b/;
const NON_FINITE_TEXT = /(?<![\w-])-?(NaN|Infinity)(?![\w-])/;

/**
 * Keys whose JSON value is a number when it is defined; `null` there is a NaN that reached JSON.
 * Matched on the key's last word (e.g. `ttftP99Ns`, `costUsd`, `hosts`).
 */
const NUMERIC_KEY =
  /(Ns|Ms|Bytes|BytesPerNs|Usd|Tokens|Count|Share|Fraction|Rate|Hosts|Devices|Ratio|Percent|Gbps|Gb|GB|Mb|Utilisation|Utilization|Goodput|Throughput|Attainment|Latency|Seconds|Metres|Length|^hosts|^devices|^tokens|^requests|^seed|^p\d+|^mean|^min|^max)$/;

/** Keys whose `null` means "not given" (an optional flag left out), not a lost number. */
const NULL_MEANS_NOT_GIVEN = new Set(['ttftSloNs']);

/** Finds `null` under numeric-looking keys and non-finite numbers in a parsed JSON value. */
export function jsonNumberProblems(value: unknown, at = '$', out: string[] = []): string[] {
  if (out.length >= 5) return out;
  if (Array.isArray(value)) value.forEach((v, i) => jsonNumberProblems(v, `${at}[${i}]`, out));
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (v === null && NUMERIC_KEY.test(k) && !NULL_MEANS_NOT_GIVEN.has(k))
        out.push(`${at}.${k} is null where a number belongs`);
      else jsonNumberProblems(v, `${at}.${k}`, out);
    }
  } else if (typeof value === 'number' && !Number.isFinite(value)) out.push(`${at} is ${value}`);
  else if (typeof value === 'string' && /^-?(NaN|Infinity)$/.test(value))
    out.push(`${at} is the string "${value}"`);
  return out;
}

/** Parses stdout as JSON or JSONL when it looks like either; undefined when it is text. */
function parsedOutput(stdout: string): unknown[] | undefined {
  const t = stdout.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return [JSON.parse(t) as unknown];
  } catch {
    try {
      return t.split('\n').map((l) => JSON.parse(l) as unknown);
    } catch {
      return undefined;
    }
  }
}

/** Problems with what a run printed: non-finite numbers, nulls for numbers, stack traces. */
function outputProblems(r: RunResult): string[] {
  const problems: string[] = [];
  const parsed = parsedOutput(r.stdout);
  if (parsed !== undefined) for (const v of parsed) problems.push(...jsonNumberProblems(v));
  const m = NON_FINITE_TEXT.exec(r.stdout);
  if (m !== null)
    problems.push(
      `stdout shows ${m[0]}: …${r.stdout.slice(Math.max(0, m.index - 60), m.index + 20)}…`,
    );
  for (const [name, text] of [
    ['stdout', r.stdout],
    ['stderr', r.stderr],
  ] as const) {
    if (STACK_LINE.test(text)) problems.push(`${name} holds a stack trace`);
    const js = JS_ERROR_NAMES.exec(text);
    if (js !== null) problems.push(`${name} names a JavaScript error (${js[0]})`);
  }
  return problems;
}

/** Problems with the files a run may have written. */
function fileProblems(outputs: readonly OutputCheck[], ok: boolean, before: FolderState): string[] {
  const problems: string[] = [];
  for (const o of outputs) {
    const now = readIfFile(o.path);
    if (!ok && now !== undefined && now !== o.before)
      problems.push(
        `refused, yet ${o.path} changed (${now.length} bytes now): a half-written file`,
      );
    if (ok && now === undefined && isPlainPath(o.path))
      problems.push(`succeeded, yet ${o.path} is not there`);
  }
  for (const [dir, names] of before) {
    if (!existsSync(dir) || !statSync(dir).isDirectory()) continue;
    const extra = readdirSync(dir).filter(
      (n) => !names.has(n) && !outputs.some((o) => o.path === `${dir}/${n}`),
    );
    if (extra.length > 0) problems.push(`left behind in ${dir}: ${extra.join(', ')}`);
  }
  return problems;
}

const isPlainPath = (p: string): boolean => p !== '' && p !== '-' && !p.startsWith('/dev/');

function readIfFile(p: string): string | undefined {
  try {
    return statSync(p).isFile() ? readFileSync(p, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** The files in each output's folder before a run, to find temporary leftovers after it. */
type FolderState = Map<string, Set<string>>;

/** Records the folders of `outputs` before a run. */
export function folderState(outputs: readonly OutputCheck[]): FolderState {
  const state: FolderState = new Map();
  for (const o of outputs) {
    const dir = dirname(o.path);
    if (!isPlainPath(o.path) || state.has(dir)) continue;
    try {
      state.set(dir, new Set(readdirSync(dir)));
    } catch {
      // a parent that is a file or missing: nothing to compare against
    }
  }
  return state;
}

/**
 * Every way `r` breaks the hostile-input contract for expectation `e` (empty: it kept it).
 * Returned as a list so one failing case names all of its problems at once.
 */
export function contractProblems(r: RunResult, e: Expectation, before: FolderState): string[] {
  const problems: string[] = [];
  if (r.timedOut) problems.push(`still running after ${r.wallMs} ms (unbounded work, no refusal)`);
  if (r.died !== undefined) problems.push(`the run died: ${r.died} (unbounded memory?)`);
  if (r.crash !== undefined)
    problems.push(`uncaught exception: ${r.crash.split('\n').slice(0, 2).join(' | ')}`);
  if (r.exitCode !== undefined) {
    const allowed = e.allow.map((o) => EXIT_CODES[o]);
    if (!allowed.includes(r.exitCode as never))
      problems.push(`ended ${outcomeOf(r.exitCode)}; allowed: ${e.allow.join(', ')}`);
    if (r.exitCode === EXIT_CODES.internal)
      problems.push('internal error (70): a bug, not a refusal');
  }
  if (r.polluted !== undefined) problems.push(`Object.prototype was changed: ${r.polluted}`);
  problems.push(...outputProblems(r));
  const refused = r.exitCode !== undefined && r.exitCode >= EXIT_CODES.usage;
  if (refused) {
    if (!r.stderr.startsWith('podsim: '))
      problems.push(
        `stderr does not start with "podsim: ": ${JSON.stringify(r.stderr.slice(0, 80))}`,
      );
    const lower = r.stderr.toLowerCase();
    for (const m of e.mentions ?? [])
      if (!lower.includes(m.toLowerCase()))
        problems.push(`message does not mention ${JSON.stringify(m)}: ${firstLine(r.stderr)}`);
  }
  problems.push(...fileProblems(e.outputs ?? [], r.exitCode === EXIT_CODES.ok, before));
  return problems;
}

const firstLine = (s: string): string =>
  JSON.stringify(s.split('\n').slice(0, 3).join(' ⏎ ').slice(0, 300));

/** Runs one case and returns its contract problems (empty when it kept the contract). */
export async function checkCase(
  sandbox: Sandbox,
  args: readonly string[],
  e: Expectation,
  timeoutMs = CASE_TIMEOUT_MS,
): Promise<{ result: RunResult; problems: string[] }> {
  const before = folderState(e.outputs ?? []);
  const result = await sandbox.run(args, timeoutMs);
  return { result, problems: contractProblems(result, e, before) };
}

/** Seeds an output path with old content (so a half-write shows) and returns its check. */
export function seededOutput(path: string, old = 'OLD CONTENT\n'): OutputCheck {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, old);
    return { path, before: old };
  } catch {
    return { path, before: undefined };
  }
}
