/* global process, console, Buffer, queueMicrotask, URL */
/* eslint-disable no-console -- the sandbox replaces console methods to capture what the CLI prints */
// The hostile suite's sandbox (docs/hostile-inputs.md): a child process that loads the podsim CLI
// through tsx once and then runs one `main(args)` per IPC message, capturing stdout, stderr and
// the exit code as test/cli/run.ts does in-process. A child process, not the test's own thread
// or a worker thread, because a hostile case may loop or allocate without bound — off the V8
// heap too (a 1e9-token histogram, /dev/zero read into a Buffer) — and only a process can be
// killed for its resident memory and its time, wherever it is stuck.
const parentPort = {
  postMessage: (m) => process.send(m),
  on: (event, f) => process.on(event, f),
};

const { register } = await import('tsx/esm/api');
register();
const { main } = await import(new URL('../../src/cli/main.ts', import.meta.url).href);

class ProcessExit extends Error {
  constructor(code) {
    super(`process.exit(${code})`);
    this.code = code;
  }
}

const text = (chunk) =>
  typeof chunk === 'string'
    ? chunk
    : chunk instanceof Uint8Array
      ? Buffer.from(chunk).toString('utf8')
      : String(chunk);

/** Runs one CLI invocation and reports {stdout, stderr, exitCode, crash}. */
async function runOne(args) {
  let stdout = '';
  let stderr = '';
  const saved = {
    out: process.stdout.write,
    err: process.stderr.write,
    exit: process.exit,
    log: console.log,
    info: console.info,
    error: console.error,
    warn: console.warn,
  };
  process.stdout.write = (c, ...rest) => {
    stdout += text(c);
    const cb = rest.find((r) => typeof r === 'function');
    if (cb) queueMicrotask(cb);
    return true;
  };
  process.stderr.write = (c, ...rest) => {
    stderr += text(c);
    const cb = rest.find((r) => typeof r === 'function');
    if (cb) queueMicrotask(cb);
    return true;
  };
  const line = (a) => `${a.map(text).join(' ')}\n`;
  console.log = (...a) => void (stdout += line(a));
  console.info = (...a) => void (stdout += line(a));
  console.error = (...a) => void (stderr += line(a));
  console.warn = (...a) => void (stderr += line(a));
  process.exit = (code) => {
    throw new ProcessExit(Number(code ?? 0));
  };
  process.exitCode = undefined;
  const protoBefore = Object.getOwnPropertyNames(Object.prototype).join(',');
  let exitCode;
  let crash;
  try {
    await main(args);
    exitCode = Number(process.exitCode ?? 0);
  } catch (e) {
    if (e instanceof ProcessExit) exitCode = e.code;
    else crash = e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e);
  } finally {
    process.stdout.write = saved.out;
    process.stderr.write = saved.err;
    process.exit = saved.exit;
    console.log = saved.log;
    console.info = saved.info;
    console.error = saved.error;
    console.warn = saved.warn;
    process.exitCode = undefined;
  }
  // An id such as `__proto__` must never reach Object.prototype (issue 15 item 5).
  const protoAfter = Object.getOwnPropertyNames(Object.prototype).join(',');
  const polluted = protoAfter === protoBefore ? undefined : protoAfter;
  return { stdout, stderr, exitCode, crash, polluted };
}

process.on('unhandledRejection', (e) => {
  parentPort.postMessage({
    kind: 'stray',
    error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack ?? ''}` : String(e),
  });
});

parentPort.on('message', async (msg) => {
  const result = await runOne(msg.args);
  parentPort.postMessage({ kind: 'done', id: msg.id, ...result });
});
parentPort.postMessage({ kind: 'ready' });
