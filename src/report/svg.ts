/**
 * Hand-written SVG charts for the what-if report (`podsim whatif --report`): the TTFT CDF per
 * topology, the reuse decision mix, a utilisation heat map, cost vs goodput, and a drawing of
 * each topology. Pure string builders (docs/design.md convention §6): data in, one `<svg>` element out, no DOM.
 *
 * Why hand-written: no maintained SVG chart library for Node without a DOM fits a small, pure,
 * synchronous `(data) → string` renderer. D3's chart code works through DOM selections (jsdom
 * needed), Chart.js draws on a canvas, Plotly needs a browser, and Vega renders SVG headless
 * only through its asynchronous view runtime. The closest is ECharts' server-side
 * `renderToSVGString` (DOM-free), but it is a ≈ 1 MB dependency with a stateful
 * init/render/dispose lifecycle and its own id and number formatting, which would make the
 * golden outputs hostage to its releases. Five charts are ≈ 700 lines in all.
 *
 * Every chart is readable without colour (dash patterns, marker shapes, hatch patterns,
 * printed numbers), carries `role="img"`, a `<title>` and a `<desc>` referenced by
 * `aria-labelledby`, labels its axes with units and uses `font-family: sans-serif`. Output is
 * deterministic: coordinates are rounded to 0.1 and all text goes through {@link escapeXml}.
 * Ids inside a chart start with the caller's `id`, so several charts can share one HTML page.
 *
 * This module is the charts' one import: the shared pieces live in svg-kit.ts and each chart in
 * its own file (svg-ttft, svg-decisions, svg-heatmap, svg-cost, svg-topology, svg-tornado, and
 * svg-frontier for the capacity report),
 * re-exported here.
 */
export {
  DASH_PATTERNS,
  escapeXml,
  fmt,
  linearTicks,
  logTicks,
  marker,
  MARKER_SHAPES,
  markerShape,
  SERIES_COLOURS,
  type ChartOptions,
  type MarkerShape,
} from './svg-kit.ts';
export { costGoodputSvg, type CostPoint } from './svg-cost.ts';
export { decisionMixSvg, type DecisionMixRow } from './svg-decisions.ts';
export { utilisationHeatmapSvg, type HeatRow } from './svg-heatmap.ts';
export { topologySvg } from './svg-topology.ts';
export { ttftCdfSvg, type CdfSeries } from './svg-ttft.ts';
export {
  frontierSvg,
  type FrontierChartOptions,
  type FrontierPoint,
  type FrontierSeries,
} from './svg-frontier.ts';
export { tornadoSvg, type TornadoBar, type TornadoOptions } from './svg-tornado.ts';
