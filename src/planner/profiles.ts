/**
 * DroidSpeak pair profiles (docs/references.md §3): for a (receiver ← sender) pair of fine-tuned
 * variants of one base model, how much quality the receiver loses when it reuses the sender's
 * prefix KV cache while recomputing some layers, and the Pareto frontier of recomputed layers
 * vs quality loss that the reuse planner chooses from.
 *
 * **From the paper.** Finding 1: reusing every layer of another variant's KV cache destroys
 * quality (most pairs lose > 50 %). Finding 2: only ≈ 11 % of layers are *critical* — a layer
 * is critical when reusing it alone (all others recomputed) drops quality by more than 10 %.
 * Finding 3: the critical set is stable across inputs, so a profile belongs to the *pair*, not
 * to a request: podsim keeps one profile per pair and applies it to every request (no
 * per-request variation is modelled). DroidSpeak recomputes *contiguous groups* of layers,
 * each needing the sender's E cache at its first (transition) layer, and merges nearby
 * critical layers into one group (critical 16–18, 20, 25–27 → recompute 16–27, one E-cache
 * load). It profiles contiguous groups offline (O(l²)), keeps the Pareto frontier and picks the
 * fewest layers whose quality stays within 5 % of the receiver's own.
 *
 * podsim's own loss model (the paper gives no closed form) is described, formula and all, where it
 * is implemented: loss-model.ts.
 *
 * A frontier read from a scenario file is data (it may be measured); {@link choosePoint} and
 * {@link frontierWithin} use its stored losses. {@link qualityLoss} is the model for arbitrary
 * recompute sets.
 *
 * The mechanism lives in its own files (this one is the public face): the data model and
 * defaults in profile-types.ts, the loss model in loss-model.ts, the frontier in frontier.ts,
 * synthetic profiles in synthetic-profile.ts, the file check in validate-profile.ts.
 */
export * from './profile-types.ts';
export { criticalLayers, evaluateRecompute, groupCritical, qualityLoss } from './loss-model.ts';
export { buildFrontier, choosePoint, frontierWithin } from './frontier.ts';
export { syntheticProfile } from './synthetic-profile.ts';
export { validatePairProfile } from './validate-profile.ts';
