import type { StaffCategory } from '../../generated/prisma/client';
import type { ComplianceFilters } from '../../core/reports/compliance-report.service';
import type { PaceStatus } from '../../core/credits/engine';
import type { Translate } from '../i18n';

/** Every word of the compliance report, translated by the caller (locales: `reports.*`). */
export interface ComplianceLabels {
  title: string;
  sheet: string;
  organization: string;
  asOf: string;
  filters: string;
  rows: string;
  /** The filters as one line («отстают от темпа; срок ≤ 6 мес.») or «all». */
  filterLine: string;
  empty: string;
  yes: string;
  no: string;
  generated: string;
  columns: {
    externalId: string;
    fullName: string;
    category: string;
    department: string;
    linked: string;
    ruleSet: string;
    cycleStart: string;
    cycleEnd: string;
    total: string;
    required: string;
    remaining: string;
    percent: string;
    pace: string;
    daysLeft: string;
    openDisputes: string;
    openAppeals: string;
    lastActivity: string;
  };
  pace: Record<PaceStatus, string>;
  categories: Record<StaffCategory, string>;
}

export interface ProgramLabels {
  title: string;
  sheet: string;
  organization: string;
  staff: string;
  empty: string;
  archived: string;
  generated: string;
  columns: {
    title: string;
    budget: string;
    spent: string;
    budgetLeft: string;
    events: string;
    cancelledEvents: string;
    signUps: string;
    attendance: string;
    participants: string;
    zetAwarded: string;
    attendanceRate: string;
    reach: string;
  };
}

const CATEGORIES: readonly StaffCategory[] = ['DOCTOR', 'NURSE', 'PHARMACIST', 'LAB_TECHNICIAN', 'SANITARY', 'ADMINISTRATOR'];

export function complianceLabels(t: Translate, filters: ComplianceFilters, generated: string): ComplianceLabels {
  const columns = [
    'externalId',
    'fullName',
    'category',
    'department',
    'linked',
    'ruleSet',
    'cycleStart',
    'cycleEnd',
    'total',
    'required',
    'remaining',
    'percent',
    'pace',
    'daysLeft',
    'openDisputes',
    'openAppeals',
    'lastActivity',
  ] as const;
  const categories = Object.fromEntries(CATEGORIES.map((c) => [c, t(`reports.categories.${c}`)])) as Record<StaffCategory, string>;
  const parts = [
    filters.behindPace ? t('reports.filter.behind-pace') : null,
    filters.deadlineWithinMonths !== undefined ? t('reports.filter.deadline', { months: filters.deadlineWithinMonths }) : null,
    filters.category ? categories[filters.category] : null,
    filters.department !== undefined ? t('reports.filter.department', { department: filters.department }) : null,
    filters.met === true ? t('reports.filter.met') : filters.met === false ? t('reports.filter.not-met') : null,
    filters.openCases ? t('reports.filter.open-cases') : null,
    filters.nameContains ? t('reports.filter.name', { name: filters.nameContains }) : null,
  ].filter((p): p is string => p !== null);
  return {
    title: t('reports.compliance.title'),
    sheet: t('reports.compliance.sheet'),
    organization: t('reports.organization'),
    asOf: t('reports.as-of'),
    filters: t('reports.filters'),
    rows: t('reports.compliance.rows'),
    filterLine: parts.length > 0 ? parts.join('; ') : t('reports.filter.none'),
    empty: t('reports.compliance.empty'),
    yes: t('reports.yes'),
    no: t('reports.no'),
    generated,
    columns: Object.fromEntries(columns.map((c) => [c, t(`reports.compliance.columns.${c}`)])) as ComplianceLabels['columns'],
    pace: { ahead: t('reports.pace.ahead'), 'on-track': t('reports.pace.on-track'), behind: t('reports.pace.behind') },
    categories,
  };
}

export function programLabels(t: Translate, generated: string): ProgramLabels {
  const columns = [
    'title',
    'budget',
    'spent',
    'budgetLeft',
    'events',
    'cancelledEvents',
    'signUps',
    'attendance',
    'participants',
    'zetAwarded',
    'attendanceRate',
    'reach',
  ] as const;
  return {
    title: t('reports.programs.title'),
    sheet: t('reports.programs.sheet'),
    organization: t('reports.organization'),
    staff: t('reports.programs.staff'),
    empty: t('reports.programs.empty'),
    archived: t('reports.programs.archived'),
    generated,
    columns: Object.fromEntries(columns.map((c) => [c, t(`reports.programs.columns.${c}`)])) as ProgramLabels['columns'],
  };
}
