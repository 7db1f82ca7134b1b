/** Files made from plain data for people to keep or look at: the progress chart, the CSV and the PDF report. */
export { type CreditEntryRecord, type CreditHistoryRow, type CreditSource, creditSources, toCreditHistoryRows } from './credit-history';
export { type CreditsCsvColumn, type CreditsCsvLabels, creditsCsvColumns, renderCreditsCsv } from './credits-csv';
export { type CreditsPdfInput, type CreditsPdfLabels, renderCreditsPdf } from './credits-pdf';
export { type PlanIcsEvent, type PlanIcsInput, renderPlanIcs } from './plan-ics';
export { type PlanPdfInput, type PlanPdfItem, type PlanPdfLabels, renderPlanPdf } from './plan-pdf';
export { PROGRESS_CHART_SIZE, type ProgressChartInput, type ProgressChartLabels, renderProgressChart } from './progress-chart';
export { type ProgressStep, countedProgress } from './progress-steps';
export { type PortfolioPdfInput, type PortfolioPdfLabels, renderPortfolioPdf } from './portfolio-pdf';
export { PORTFOLIO_XML_NAMESPACE, type PortfolioXmlInput, renderPortfolioXml } from './portfolio-xml';
