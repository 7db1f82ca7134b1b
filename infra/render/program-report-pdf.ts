import type { ProgramReport } from '../../core/reports/program-report.service';
import type { Lang } from '../i18n';
import { formatNumber } from './format';
import type { ProgramLabels } from './report-labels';
import { renderTablePdf } from './report-table-pdf';

function percent(value: number | null, lang: Lang): string {
  return value === null ? '—' : `${formatNumber(Math.round(value * 1000) / 10, lang)} %`;
}

function roubles(value: number | null, lang: Lang): string {
  return value === null ? '—' : formatNumber(value, lang);
}

/** Budget and participation per program on paper (PT Sans, so Cyrillic titles print). */
export function renderProgramReportPdf(report: ProgramReport, labels: ProgramLabels, lang: Lang): Promise<Buffer> {
  const c = labels.columns;
  return renderTablePdf({
    lang,
    title: labels.title,
    author: report.organization.name,
    facts: [
      [labels.organization, `${report.organization.name} (${report.organization.code})`],
      [labels.staff, String(report.staff)],
    ],
    columns: [
      { header: c.title, width: 22 },
      { header: c.budget, width: 10, align: 'right' },
      { header: c.spent, width: 10, align: 'right' },
      { header: c.budgetLeft, width: 10, align: 'right' },
      { header: c.events, width: 7, align: 'right' },
      { header: c.signUps, width: 8, align: 'right' },
      { header: c.attendance, width: 8, align: 'right' },
      { header: c.zetAwarded, width: 7, align: 'right' },
      { header: c.attendanceRate, width: 8, align: 'right' },
      { header: c.reach, width: 8, align: 'right' },
    ],
    rows: report.programs.map((p) => [
      p.archived ? `${p.title} (${labels.archived})` : p.title,
      roubles(p.budget, lang),
      roubles(p.spent, lang),
      roubles(p.budgetLeft, lang),
      String(p.events),
      String(p.signUps),
      String(p.attendance),
      formatNumber(p.zetAwarded, lang),
      percent(p.attendanceRate, lang),
      percent(p.reach, lang),
    ]),
    empty: labels.empty,
    generated: labels.generated,
    generatedAt: report.generatedAt,
  });
}
