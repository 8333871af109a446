/**
 * Input checks of the fluid flow engine: capacities and flows, reported as typed issues with
 * paths (every problem at once), so `FluidNetwork` and `simulateFlows` throw one `InputError`.
 */
import type { Issue } from '../../errors/index.ts';
import type { FlowStart } from './types.ts';

/** Issues for a capacity vector: every entry must be a finite number > 0. */
export function capacityIssues(
  capacities: ArrayLike<number>,
  path: readonly (string | number)[],
): Issue[] {
  const issues: Issue[] = [];
  for (let r = 0; r < capacities.length; r++) {
    const c = capacities[r];
    if (!(c !== undefined && Number.isFinite(c) && c > 0)) {
      issues.push({
        code: 'resource.capacity',
        path: [...path, r],
        message: `capacity must be a finite number of bytes/ns > 0, got ${c}`,
      });
    }
  }
  return issues;
}

/** Issues for each occurrence's weight (one per resource; finite, > 0). */
function weightIssues(
  w: ArrayLike<number>,
  resourceOccurrences: number,
  path: readonly (string | number)[],
): Issue[] {
  if (w.length !== resourceOccurrences) {
    return [
      {
        code: 'flow.weights',
        path: [...path, 'weights'],
        message: `weights must have one entry per resource (${resourceOccurrences}), got ${w.length}`,
      },
    ];
  }
  const issues: Issue[] = [];
  for (let j = 0; j < w.length; j++) {
    const x = w[j];
    if (!(x !== undefined && Number.isFinite(x) && x > 0))
      issues.push({
        code: 'flow.weights',
        path: [...path, 'weights', j],
        message: `weight must be a finite number > 0, got ${x}`,
      });
  }
  return issues;
}

/** Issues for one flow's bytes, resources, weights and cap, with paths under `path`. */
export function flowIssues(
  flow: FlowStart,
  resourceCount: number,
  path: readonly (string | number)[],
): Issue[] {
  const issues: Issue[] = [];
  if (!(Number.isFinite(flow.bytes) && flow.bytes >= 0)) {
    issues.push({
      code: 'flow.bytes',
      path: [...path, 'bytes'],
      message: `bytes must be a finite number ≥ 0, got ${flow.bytes}`,
    });
  }
  const res = flow.resources;
  for (let j = 0; j < res.length; j++) {
    const r = res[j];
    if (!(r !== undefined && Number.isInteger(r) && r >= 0 && r < resourceCount)) {
      issues.push({
        code: 'flow.unknown-resource',
        path: [...path, 'resources', j],
        message: `unknown resource ${r}: resources are integers in [0, ${resourceCount})`,
      });
    }
  }
  if (flow.weights !== undefined) issues.push(...weightIssues(flow.weights, res.length, path));
  const cap = flow.rateCapBytesPerNs;
  if (cap !== undefined && !(cap > 0)) {
    issues.push({
      code: 'flow.rate-cap',
      path: [...path, 'rateCapBytesPerNs'],
      message: `rate cap must be > 0 bytes/ns, got ${cap}`,
    });
  }
  return issues;
}
