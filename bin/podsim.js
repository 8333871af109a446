#!/usr/bin/env node
// Entry point: registers tsx so the TypeScript sources run as they are (no build step on a
// fresh checkout), then hands over to the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
await main(process.argv.slice(2));
