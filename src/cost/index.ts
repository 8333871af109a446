/**
 * The cost layer (docs/design.md): prices for a topology's bill of materials — a frozen,
 * commented default catalogue with overridable prices, and the pricing of a graph into totals,
 * cost per host and fabric cost, and the one-at-a-time sensitivity of a result to those prices.
 */
export {
  DEFAULT_COST_CATALOGUE,
  CATALOGUE_OVERRIDE_KEYS,
  MHD_PORT_EXPONENT_RANGE,
  overrideKeyOf,
  validateCatalogue,
  resolveCatalogue,
  type CostCatalogue,
  type CatalogueOverrides,
} from './catalogue.ts';
export {
  priceTopology,
  mhdDeviceUsd,
  nicUsd,
  COST_LINE_KINDS,
  HOST_LINE_KINDS,
  type CostLine,
  type CostLineKind,
  type TopologyPrice,
} from './price.ts';
export {
  sensitivity,
  priceInputs,
  scalarInputs,
  validateSensitivityInputs,
  withTarget,
  PRICE_KEYS,
  PRICE_RANGES,
  type PriceKey,
  type Scalars,
  type SensitivityEvaluator,
  type SensitivityInput,
  type SensitivityRange,
  type SensitivityResult,
  type SensitivityRow,
  type SensitivityTarget,
  type SensitivityUnit,
} from './sensitivity.ts';
