import type { ComplianceReport } from '../../core/reports/compliance-report.service';
import type { ProgramReport } from '../../core/reports/program-report.service';
import type { Lang, Translate } from '../i18n';
import { renderCompliancePdf } from './compliance-pdf';
import { formatDateTime } from './format';
import { renderProgramReportPdf } from './program-report-pdf';
import { complianceLabels, programLabels } from './report-labels';

export type ReportFileFormat = 'xlsx' | 'pdf';

export interface ReportFile {
  bytes: Buffer;
  fileName: string;
  contentType: string;
}

const CONTENT_TYPES: Record<ReportFileFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** The same file whether the admin API or the bot asks: translated, named after the organization and the day. */
export async function complianceReportFile(
  report: ComplianceReport,
  format: ReportFileFormat,
  t: Translate,
  lang: Lang,
  generatedAt: Date,
): Promise<ReportFile> {
  const labels = complianceLabels(t, report.filters, t('reports.generated', { at: formatDateTime(generatedAt, lang, 'Europe/Moscow') }));
  const bytes =
    format === 'xlsx'
      ? await (await import('./compliance-xlsx')).renderComplianceXlsx(report, labels, generatedAt)
      : await renderCompliancePdf(report, labels, lang, generatedAt);
  return { bytes, fileName: `compliance-${report.organization.code}-${report.asOf}.${format}`, contentType: CONTENT_TYPES[format] };
}

export async function programReportFile(report: ProgramReport, format: ReportFileFormat, t: Translate, lang: Lang): Promise<ReportFile> {
  const labels = programLabels(t, t('reports.generated', { at: formatDateTime(report.generatedAt, lang, 'Europe/Moscow') }));
  // exceljs loads with the first workbook asked for, not with every process that could make one.
  const bytes =
    format === 'xlsx'
      ? await (await import('./program-report-xlsx')).renderProgramReportXlsx(report, labels)
      : await renderProgramReportPdf(report, labels, lang);
  return {
    bytes,
    fileName: `programs-${report.organization.code}-${report.generatedAt.toISOString().slice(0, 10)}.${format}`,
    contentType: CONTENT_TYPES[format],
  };
}
