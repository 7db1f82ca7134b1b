import ExcelJS from 'exceljs';
import { parseIsoDate, type IsoDate } from '../../core/shared/dates';
import type { ComplianceReport } from '../../core/reports/compliance-report.service';
import type { ComplianceLabels } from './report-labels';

/** The zone instants (last activity) are shown in: the organization's working day. */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/**
 * The compliance report as a workbook the education department filters and sorts itself: real cells
 * (numbers as numbers, dates as dates with a date format), the header row frozen and filtered, widths
 * set. A second sheet says which organization, day and filters the figures are for.
 */
export async function renderComplianceXlsx(report: ComplianceReport, labels: ComplianceLabels, generatedAt: Date): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'nmo-assistant';
  workbook.created = generatedAt;
  workbook.modified = generatedAt;
  const sheet = workbook.addWorksheet(labels.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  const c = labels.columns;
  sheet.columns = [
    { header: c.externalId, key: 'externalId', width: 14 },
    { header: c.fullName, key: 'fullName', width: 34 },
    { header: c.category, key: 'category', width: 18 },
    { header: c.department, key: 'department', width: 22 },
    { header: c.linked, key: 'linked', width: 10 },
    { header: c.ruleSet, key: 'ruleSet', width: 16 },
    { header: c.cycleStart, key: 'cycleStart', width: 13, style: { numFmt: 'dd.mm.yyyy' } },
    { header: c.cycleEnd, key: 'cycleEnd', width: 13, style: { numFmt: 'dd.mm.yyyy' } },
    { header: c.total, key: 'total', width: 10, style: { numFmt: '0.##' } },
    { header: c.required, key: 'required', width: 10, style: { numFmt: '0.##' } },
    { header: c.remaining, key: 'remaining', width: 10, style: { numFmt: '0.##' } },
    { header: c.percent, key: 'percent', width: 9, style: { numFmt: '0.0' } },
    { header: c.pace, key: 'pace', width: 14 },
    { header: c.daysLeft, key: 'daysLeft', width: 10, style: { numFmt: '0' } },
    { header: c.openDisputes, key: 'openDisputes', width: 10, style: { numFmt: '0' } },
    { header: c.openAppeals, key: 'openAppeals', width: 11, style: { numFmt: '0' } },
    { header: c.lastActivity, key: 'lastActivity', width: 17, style: { numFmt: 'dd.mm.yyyy hh:mm' } },
  ];
  for (const row of report.rows) {
    sheet.addRow({
      externalId: row.externalId ?? '',
      fullName: row.fullName,
      category: row.category ? labels.categories[row.category] : '',
      department: row.department ?? '',
      linked: row.linked ? labels.yes : labels.no,
      ruleSet: row.ruleSetCode,
      cycleStart: excelDate(row.cycleStart),
      cycleEnd: excelDate(row.cycleEnd),
      total: row.total,
      required: row.required,
      remaining: row.remaining,
      percent: row.percent,
      pace: labels.pace[row.pace],
      daysLeft: row.daysLeft,
      openDisputes: row.openDisputes,
      openAppeals: row.openAppeals,
      lastActivity: row.lastActivity ? new Date(row.lastActivity.getTime() + MOSCOW_OFFSET_MS) : null,
    });
  }
  const header = sheet.getRow(1);
  header.font = { bold: true };
  header.alignment = { vertical: 'middle', wrapText: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };

  const about = workbook.addWorksheet(labels.filters);
  about.columns = [{ width: 24 }, { width: 60 }];
  about.addRows([
    [labels.title, ''],
    [labels.organization, `${report.organization.name} (${report.organization.code})`],
    [labels.asOf, excelDate(report.asOf)],
    [labels.filters, labels.filterLine],
    [labels.rows, report.rows.length],
    [labels.generated],
  ]);
  about.getCell('B3').numFmt = 'dd.mm.yyyy';
  about.getCell('A1').font = { bold: true };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A calendar day as the Date exceljs writes as that day (it stores dates as UTC). */
export function excelDate(date: IsoDate): Date {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`not a calendar date: ${date}`);
  return new Date(Date.UTC(parsed.year, parsed.month - 1, parsed.day));
}
