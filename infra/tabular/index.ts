export { parseXlsx, readTable, sniffFormat, type TableFormat } from './read-table';
export { parseCsv, detectSeparator, type Separator } from './csv';
export { decodeText, type TextEncoding } from './decode';
export { type Table, type TableRow, TabularError, type TabularProblem } from './table';
export { readTableInThread, THREAD_LIMITS, type ThreadLimits } from './read-table-in-thread';
