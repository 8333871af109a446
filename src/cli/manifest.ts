/**
 * Command modules loaded on demand, so `podsim --help` and each command load only what they use:
 * importing every command module pulls in the whole library (≈ 0.5 s of CPU), while the top-level
 * help needs only each command's name and summary. `npm run build` writes those into
 * dist/cli/commands.json (the manifest, from the real modules, so it cannot drift from them);
 * `main` registers the command the arguments name from its module and the others as summaries.
 * Without a manifest (running src/ under tsx or vitest) every module is loaded, as before.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { COMMAND_GROUPS, type Command } from './commands/index.ts';

/** What the manifest records of one command: what yargs lists in the top-level help. */
interface CommandSummary {
  readonly command: string;
  readonly describe: string;
}

/** The manifest: per group, its commands' summaries. */
type Manifest = readonly { readonly group: string; readonly commands: CommandSummary[] }[];

const MANIFEST = new URL('./commands.json', import.meta.url);

/** The manifest beside the compiled CLI, or undefined when there is none (running src/). */
function readManifest(): Manifest | undefined {
  if (!import.meta.url.endsWith('.js')) return undefined;
  try {
    return JSON.parse(readFileSync(MANIFEST, 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** A command's name: the first word of its `command` string. */
const nameOf = (c: { command?: string | readonly string[] | undefined }): string =>
  String(Array.isArray(c.command) ? c.command[0] : c.command).split(' ')[0] ?? '';

/**
 * The commands to register for `argv`: with a manifest, the real modules of the group whose
 * command `argv` names (its first word not starting with `-`) and summaries of the others;
 * without one, every module.
 */
export async function commandsFor(argv: readonly string[]): Promise<Command[]> {
  const manifest = readManifest();
  if (manifest === undefined || manifest.length !== COMMAND_GROUPS.length)
    return (await Promise.all(COMMAND_GROUPS.map((g) => g.load()))).flat();
  const named = argv.find((a) => !a.startsWith('-'));
  const out: Command[] = [];
  for (const [i, g] of COMMAND_GROUPS.entries()) {
    const summaries = manifest[i]?.group === g.name ? manifest[i].commands : undefined;
    if (summaries === undefined || summaries.some((c) => nameOf(c) === named))
      out.push(...(await g.load()));
    else for (const c of summaries) out.push({ ...c, handler: () => undefined });
  }
  return out;
}

/**
 * Writes the manifest beside the compiled CLI (`npm run build` calls it after tsc).
 * @throws when a command has aliases or a non-string summary, which the manifest does not carry
 */
export async function writeManifest(): Promise<void> {
  const manifest: Manifest = await Promise.all(
    COMMAND_GROUPS.map(async (g) => ({
      group: g.name,
      commands: (await g.load()).map((c) => {
        if (c.aliases !== undefined || typeof c.describe !== 'string')
          throw new Error(`command ${nameOf(c)}: aliases or a non-string describe`);
        return { command: String(c.command), describe: c.describe };
      }),
    })),
  );
  writeFileSync(MANIFEST, `${JSON.stringify(manifest, null, 2)}\n`);
}
