import ExcelJS from 'exceljs';
import type { ProgramReport } from '../../core/reports/program-report.service';
import type { ProgramLabels } from './report-labels';

/** Budget and participation per program as a workbook: roubles and rates as numbers, header frozen and filtered. */
export async function renderProgramReportXlsx(report: ProgramReport, labels: ProgramLabels): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'nmo-assistant';
  workbook.created = report.generatedAt;
  workbook.modified = report.generatedAt;
  const sheet = workbook.addWorksheet(labels.sheet, { views: [{ state: 'frozen', ySplit: 1 }] });
  const c = labels.columns;
  const money = '#,##0.00';
  sheet.columns = [
    { header: c.title, key: 'title', width: 36 },
    { header: c.budget, key: 'budget', width: 14, style: { numFmt: money } },
    { header: c.spent, key: 'spent', width: 14, style: { numFmt: money } },
    { header: c.budgetLeft, key: 'budgetLeft', width: 14, style: { numFmt: money } },
    { header: c.events, key: 'events', width: 10, style: { numFmt: '0' } },
    { header: c.cancelledEvents, key: 'cancelledEvents', width: 11, style: { numFmt: '0' } },
    { header: c.signUps, key: 'signUps', width: 11, style: { numFmt: '0' } },
    { header: c.attendance, key: 'attendance', width: 11, style: { numFmt: '0' } },
    { header: c.participants, key: 'participants', width: 11, style: { numFmt: '0' } },
    { header: c.zetAwarded, key: 'zetAwarded', width: 11, style: { numFmt: '0.##' } },
    { header: c.attendanceRate, key: 'attendanceRate', width: 11, style: { numFmt: '0%' } },
    { header: c.reach, key: 'reach', width: 11, style: { numFmt: '0.0%' } },
  ];
  for (const p of report.programs) {
    sheet.addRow({ ...p, title: p.archived ? `${p.title} (${labels.archived})` : p.title });
  }
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).alignment = { vertical: 'middle', wrapText: true };
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  return Buffer.from(await workbook.xlsx.writeBuffer());
}
