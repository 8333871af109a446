/**
 * Every CLI command module, in the order `podsim --help` lists their commands. Each is imported
 * only when needed (manifest.ts): a module pulls in the library layers its commands use.
 */
import type { CommandModule } from 'yargs';

/** A command as yargs takes it. */
export type Command = CommandModule<object, never>;

/** A module of commands, loaded when one of them runs. */
export interface CommandGroup {
  /** The module's name (its file in commands/). */
  readonly name: string;
  readonly load: () => Promise<readonly Command[]>;
}

/** Every command module, in help order. */
export const COMMAND_GROUPS: readonly CommandGroup[] = [
  { name: 'whatif', load: async () => (await import('./whatif.ts')).whatifCommands },
  {
    name: 'topology',
    load: async () => [(await import('./topology.ts')).topologyCommand as Command],
  },
  {
    name: 'scenario',
    load: async () => [(await import('./scenario.ts')).scenarioCommand as Command],
  },
  { name: 'fabric', load: async () => (await import('./fabric.ts')).fabricCommands },
  { name: 'planner', load: async () => (await import('./planner.ts')).plannerCommands },
  { name: 'sim', load: async () => (await import('./sim.ts')).simCommands },
  { name: 'sweep', load: async () => (await import('./sweep.ts')).sweepCommands },
  { name: 'capacity', load: async () => (await import('./capacity.ts')).capacityCommands },
  { name: 'reproduce', load: async () => (await import('./reproduce.ts')).reproduceCommands },
];
