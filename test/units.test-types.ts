/**
 * Compile-only type tests (graphology's test-types idea): each `@ts-expect-error` line must fail
 * to type-check; if a brand stops protecting us, `npm run typecheck` fails on the unused directive.
 */
import { bytes, ns, bytesPerNs, add, transferTime, type Nanoseconds } from '../src/units/index.ts';

const t = ns(5);
const b = bytes(64);
// @ts-expect-error adding a time to a size must not compile
add(t, b);
// @ts-expect-error a plain number is not a Nanoseconds
const plain: Nanoseconds = 5;
// @ts-expect-error bandwidth and size swapped
transferTime(bytesPerNs(1), b);
export const _used = [plain];
