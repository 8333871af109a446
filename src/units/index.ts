/** Units layer: branded quantities, parsing of unit strings, formatting. Knows no domain type. */
export * from './quantity.ts';
export * from './parse.ts';
export * from './format.ts';
export * from './random.ts';
