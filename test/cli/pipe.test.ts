/**
 * The everyday `podsim … | head` of a shell user: a reader that closes the pipe after the first
 * bytes must end the command quietly with status 0, not with an unhandled EPIPE stack trace.
 * Runs the real `bin/podsim.js` in a child process, since only a real pipe can close early.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/podsim.js', import.meta.url));

it('stops quietly with status 0 when the reader closes the pipe early (| head)', async () => {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'explain',
      'droidspeak-8b',
      '--topology',
      'octopus-96',
      '--request',
      '{"variant": "evolcode", "tokens": 10933, "host": "h0"}',
      '--json',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let received = 0;
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
  child.stdout.on('data', (d: Buffer) => {
    received += d.length;
    child.stdout.destroy(); // like `head -c 600`: read a little, then close the pipe
  });
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  expect(received).toBeGreaterThan(0);
  expect(stderr).not.toMatch(/EPIPE|Error|\n\s+at /);
  expect(code).toBe(0);
});
