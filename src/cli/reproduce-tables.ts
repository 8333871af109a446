/**
 * `podsim reproduce`'s report as tables: one row per published figure (what the paper says, what
 * podsim computes, the verdict), figures in the paper's own setting first and those carried
 * beyond it after, then the reason for each verdict as numbered notes so the table stays narrow.
 * The figures themselves come from src/app/reproduce/.
 */
import type { ReproducedFigure, Reproduction } from '../app/reproduce/figures.ts';
import type { Table } from '../report/table.ts';
import { formatNumber, formatTime, ns } from '../units/index.ts';

/** podsim's value in the figure's unit, for people. */
export function figureValue(f: ReproducedFigure): string {
  switch (f.unit) {
    case '×':
      return `${f.value.toFixed(2)}×`;
    case '%':
      return `${f.value.toFixed(2)} %`;
    case 'ns':
      return formatTime(ns(f.value));
    case 'm':
      return `${formatNumber(f.value)} m`;
    case 'hosts':
      return `${Math.round(f.value)} hosts`;
  }
}

/** The figures table and the notes table. */
export function reproductionTables(r: Reproduction): Table[] {
  const ordered = [
    ...r.figures.filter((f) => f.settingKind === 'paper'),
    ...r.figures.filter((f) => f.settingKind === 'beyond'),
  ];
  const counts = `${r.verdicts.reproduced} reproduced, ${r.verdicts.close} close, ${r.verdicts.differs} differ`;
  return [
    {
      title: `${r.citation}: published figures beside podsim's (${counts})`,
      columns: [
        { header: '#', align: 'right' },
        { header: 'figure' },
        { header: 'setting' },
        { header: 'published' },
        { header: 'podsim', align: 'right' },
        { header: 'verdict' },
      ],
      rows: ordered.map((f, i) => [
        String(i + 1),
        f.figure,
        f.settingKind === 'paper' ? 'paper' : 'beyond',
        f.published,
        figureValue(f),
        f.verdict,
      ]),
    },
    {
      title: 'Why each value lands where it does (settings podsim ran)',
      columns: [{ header: '#', align: 'right' }, { header: 'setting' }, { header: 'why' }],
      rows: ordered.map((f, i) => [String(i + 1), f.setting, f.why]),
    },
  ];
}
