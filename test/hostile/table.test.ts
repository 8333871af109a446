/**
 * The hand-picked hostile cases (cases.ts), each run through the harness contract (harness.ts):
 * bounded time and memory, no stack trace, an exit code in the allowed class, a `podsim:` message
 * naming the file, field or argument, no NaN/Infinity/null numbers, no half-written output.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkCase, Sandbox } from './harness.ts';
import { HOSTILE_CASES } from './cases.ts';
import { inDir, makeFixtures, type Fixtures } from './fixtures.ts';

let fx: Fixtures;
const sandbox = new Sandbox();

beforeAll(async () => {
  fx = makeFixtures();
  // A real shard for the merge cases to corrupt.
  const shard = inDir(fx, 'good-shard.jsonl');
  const r = await sandbox.run(
    [
      'sweep',
      fx.scenario,
      '--topology',
      fx.generated,
      '--grid',
      'hosts=6,8',
      '--workers',
      '1',
      '-o',
      shard,
    ],
    30_000,
  );
  expect(r.exitCode, r.stderr).toBe(0);
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  fx.cleanup();
});

it('holds at least 150 cases', () => {
  expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(150);
  const names = HOSTILE_CASES.map((c) => `${c.group}: ${c.name}`);
  expect(new Set(names).size).toBe(names.length);
});

const groups = [...new Set(HOSTILE_CASES.map((c) => c.group))];
for (const group of groups)
  describe(group, () => {
    for (const c of HOSTILE_CASES.filter((x) => x.group === group))
      it(c.name, async () => {
        const e = c.build(fx);
        const { result, problems } = await checkCase(sandbox, e.args, e, c.timeoutMs);
        const where = `podsim ${e.args.map((a) => (a.length > 80 ? `${a.slice(0, 77)}…` : a)).join(' ')}\n  exit ${result.exitCode ?? '-'} in ${result.wallMs} ms; stderr: ${result.stderr.slice(0, 300)}`;
        expect(problems, where).toEqual([]);
      });
  });
