/** Every CLI command module, in the order `podsim --help` lists them. */
import type { CommandModule } from 'yargs';

// Each command module appends itself here (one import, one array entry).
export const commands: CommandModule<object, never>[] = [];
