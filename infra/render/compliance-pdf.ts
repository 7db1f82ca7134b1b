import type { ComplianceReport } from '../../core/reports/compliance-report.service';
import type { Lang } from '../i18n';
import { formatDate, formatDateTime, formatNumber } from './format';
import type { ComplianceLabels } from './report-labels';
import { renderTablePdf } from './report-table-pdf';

/** The compliance report on paper: the columns a meeting reads (the workbook has them all). */
export function renderCompliancePdf(report: ComplianceReport, labels: ComplianceLabels, lang: Lang, generatedAt: Date): Promise<Buffer> {
  const c = labels.columns;
  return renderTablePdf({
    lang,
    title: labels.title,
    author: report.organization.name,
    facts: [
      [labels.organization, `${report.organization.name} (${report.organization.code})`],
      [labels.asOf, formatDate(report.asOf, lang)],
      [labels.filters, labels.filterLine],
      [labels.rows, String(report.rows.length)],
    ],
    columns: [
      { header: c.fullName, width: 24 },
      { header: c.category, width: 11 },
      { header: c.cycleEnd, width: 10 },
      { header: c.total, width: 7, align: 'right' },
      { header: c.remaining, width: 7, align: 'right' },
      { header: c.pace, width: 10 },
      { header: `${c.openDisputes} / ${c.openAppeals}`, width: 10, align: 'right' },
      { header: c.lastActivity, width: 13 },
    ],
    rows: report.rows.map((row) => [
      row.linked ? row.fullName : `${row.fullName} (${labels.columns.linked}: ${labels.no})`,
      row.category ? labels.categories[row.category] : '',
      formatDate(row.cycleEnd, lang),
      formatNumber(row.total, lang),
      formatNumber(row.remaining, lang),
      labels.pace[row.pace],
      `${row.openDisputes} / ${row.openAppeals}`,
      row.lastActivity ? formatDateTime(row.lastActivity, lang, 'Europe/Moscow') : '—',
    ]),
    empty: labels.empty,
    generated: labels.generated,
    generatedAt,
  });
}
