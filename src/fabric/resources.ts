/**
 * Names of the capacity-limited resources the flow engine shares (docs/design.md: every link is
 * full duplex, an MHD's media bandwidth is shared by all its heads): `<linkId>:fwd` (graph
 * source → target), `<linkId>:rev` (target → source), `<deviceId>:media`. The fabric compiler,
 * the flow engine's callers and `topology export` all use these names.
 */

/** Direction of travel on a link relative to its graph source and target. */
export type LinkDirection = 'fwd' | 'rev';

/** Resource id of one direction of a link. */
export function resourceId(linkId: string, direction: LinkDirection): string {
  return `${linkId}:${direction}`;
}

/** Resource id of a memory device's internal media bandwidth. */
export function mediaResourceId(deviceId: string): string {
  return `${deviceId}:media`;
}
