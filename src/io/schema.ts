/**
 * The zod schemas of topology files (docs/topology-files.md), one place for both what the
 * loader accepts and the JSON Schema editors use (`topologies/topology.schema.json`).
 *
 * Schemas parse at the edge (docs/design.md convention §3): unit strings become branded quantities here
 * (`"256 GiB"` → `Bytes`), integers must be integers, and a bare number where a unit string
 * is expected is refused, never guessed. Every message is written for the file's author and
 * carries a podsim code (see `issues.ts`).
 *
 * Two file forms share the common keys `name`, `description`, `components`, `layout`:
 * - generator form: `generator` + `params` (+ `options`), one variant per generator;
 * - explicit form: `nodes` + `links`.
 *
 * The field builders are in ./schema-fields.ts, the forms in ./topology/schema-*.ts; this module
 * gathers them under their public names.
 */
export * from './schema-fields.ts';
export {
  COMPONENT_KEYS,
  componentsSchema,
  layoutSchema,
  type ComponentFileKey,
  type ComponentKeyInfo,
} from './topology/schema-common.ts';
export {
  GENERATOR_PARAM_SCHEMAS,
  generateOptionsSchema,
  generatorFileSchema,
  type GeneratorFileParams,
} from './topology/schema-generator.ts';
export {
  explicitFileSchema,
  FILE_NODE_KINDS,
  linkSchema,
  nodeSchema,
  topologyFileSchema,
  topologyJsonSchema,
  type ExplicitFile,
  type FileLink,
  type FileNode,
  type GeneratorFile,
} from './topology/schema-explicit.ts';
