/**
 * LLM model shapes and the sizes of their KV and E caches (docs/references.md §3, DroidSpeak). A
 * {@link ModelShape} is the resolved, read-only description of one decoder-only transformer;
 * the built-in shapes are copied from each model's published `config.json` on Hugging
 * Face and checked against docs/references.md's "Model shapes" table, in one frozen place
 * (docs/design.md convention §9). Custom shapes from scenario files go through {@link validateModelShape}, which
 * collects every problem with its path and never throws for bad data (docs/design.md convention §4).
 *
 * Cache sizes follow docs/references.md §3: per token, KV bytes = 2 × layers × kvHeads × headDim ×
 * dtypeBytes; one layer's E cache (the hidden state entering the layer) = hiddenSize ×
 * dtypeBytes per token. The DroidSpeak "send all" and "send reused" strategies are priced by
 * {@link sendAllBytes} and {@link partialReuseBytes}.
 *
 * This module is the model layer's one import: the shape and its arithmetic live in
 * ./model-shape.ts, the built-in table in ./model-table.ts and the validation of custom shapes
 * in ./model-validate.ts, all re-exported here.
 */
export * from './model-shape.ts';
export * from './model-table.ts';
export * from './model-validate.ts';
