/**
 * The io layer: topology files (YAML/JSON) in, typed graphs out; presets; the JSON Schema of the
 * file format. With `cli/`, the only code that touches the file system (architecture.md).
 */
export {
  parseTopologyText,
  loadTopology,
  listPresets,
  renderTopologyFile,
  TOPOLOGIES_DIR,
  DEFAULT_SCHEMA_REF,
  type TopologyFileDocument,
} from './topology-file.ts';
export {
  GENERATOR_PARAM_SCHEMAS,
  COMPONENT_KEYS,
  topologyJsonSchema,
  topologyFileSchema,
  type ComponentFileKey,
  type ComponentKeyInfo,
  type GeneratorFileParams,
} from './schema.ts';
export { closest, editDistance } from './issues.ts';
