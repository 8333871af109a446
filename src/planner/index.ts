/** Planner layer: DroidSpeak pair profiles (critical layers, contiguous groups, quality-loss model, Pareto frontier). */
export * from './profiles.ts';
