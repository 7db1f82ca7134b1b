import { useEffect, useMemo, useState } from 'react';
import type { ActionResult, Compliance, ComplianceRowView } from '../../../bot/http/cabinet/wire';
import { ApiFailure } from '../api/client';
import type { Resource } from '../api/use-resource';
import { useCabinet } from '../cabinet-context';
import { Badge, Empty, Loaded, Outcome, Section, useAction } from '../components/ui';
import { useStrings } from '../i18n/strings';

type SortKey = 'fullName' | 'department' | 'cycleEnd' | 'total' | 'remaining' | 'percent' | 'pace' | 'cases' | 'lastActivity';
const PACE_ORDER: Record<ComplianceRowView['pace'], number> = { behind: 0, 'on-track': 1, ahead: 2 };

function sortValue(row: ComplianceRowView, key: SortKey): string | number {
  switch (key) {
    case 'pace':
      return PACE_ORDER[row.pace];
    case 'cases':
      return row.openDisputes + row.openAppeals;
    case 'lastActivity':
      return row.lastActivity ?? '';
    case 'department':
      return row.department ?? '';
    default:
      return row[key];
  }
}

interface Filters {
  department: string;
  category: string;
  status: string;
  q: string;
}

/** The filters as the API's body (a name typed is personal data: it never goes into a URL): only what is set. */
function bodyOf(filters: Filters): Partial<Filters> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value.trim() !== '')) as Partial<Filters>;
}

/** The table for some filters, read again whenever they change (each read journaled by the server). */
function useComplianceTable(filters: Filters): Resource<Compliance> {
  const { api, dataVersion } = useCabinet();
  const [state, setState] = useState<{ data: Compliance | null; error: ApiFailure | null; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [attempt, setAttempt] = useState(0);
  const body = JSON.stringify(bodyOf(filters));
  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    api.post<Compliance>('admin/compliance', JSON.parse(body)).then(
      (data) => current && setState({ data, error: null, loading: false }),
      (error: unknown) =>
        current &&
        setState((s) => ({
          ...s,
          error: error instanceof ApiFailure ? error : new ApiFailure(0, 'failed', String(error)),
          loading: false,
        })),
    );
    return () => {
      current = false;
    };
  }, [api, body, dataVersion, attempt]);
  return { ...state, reload: () => setAttempt((a) => a + 1) };
}

/**
 * Everyone's cycle end, total, remaining, pace, open disputes and appeals and last activity: filtered on
 * the server (the same filters the exports get, each read journaled), sorted here by any column, searched
 * by name as the admin types.
 */
export function ComplianceView() {
  const { t } = useStrings();
  const [filters, setFilters] = useState<Filters>({ department: '', category: '', status: '', q: '' });
  const [typed, setTyped] = useState('');
  // A search waits for a pause in typing: one journaled read per search, not one per letter.
  useEffect(() => {
    const timer = setTimeout(() => setFilters((f) => (f.q === typed ? f : { ...f, q: typed })), 350);
    return () => clearTimeout(timer);
  }, [typed]);
  const table = useComplianceTable(filters);
  const set = (key: keyof Filters) => (value: string) => setFilters((f) => ({ ...f, [key]: value }));
  return (
    <Section title={t('admin.compliance.title')} testId="compliance">
      <div className="filters">
        <input
          className="wide"
          type="search"
          name="q"
          placeholder={t('admin.compliance.search')}
          value={typed}
          onChange={(event) => setTyped(event.target.value)}
        />
        <select
          name="department"
          aria-label={t('admin.compliance.department')}
          value={filters.department}
          onChange={(e) => set('department')(e.target.value)}
        >
          <option value="">{t('admin.compliance.all-departments')}</option>
          {table.data?.departments.map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
        <select
          name="category"
          aria-label={t('admin.compliance.category')}
          value={filters.category}
          onChange={(e) => set('category')(e.target.value)}
        >
          <option value="">{t('admin.compliance.all-categories')}</option>
          {table.data?.categories.map((c) => (
            <option key={c.code} value={c.code}>
              {c.label}
            </option>
          ))}
        </select>
        <select
          className="wide"
          name="status"
          aria-label={t('admin.compliance.status')}
          value={filters.status}
          onChange={(e) => set('status')(e.target.value)}
        >
          <option value="">{t('admin.compliance.all-statuses')}</option>
          {(['behind', 'not-met', 'met', 'open-cases'] as const).map((status) => (
            <option key={status} value={status}>
              {t(`admin.compliance.statuses.${status}`)}
            </option>
          ))}
        </select>
      </div>
      <Loaded resource={table}>{(data) => <Table data={data} filters={bodyOf(filters)} loading={table.loading} />}</Loaded>
    </Section>
  );
}

function Table({ data, filters, loading }: { data: Compliance; filters: Partial<Filters>; loading: boolean }) {
  const { t, n, date, day } = useStrings();
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean }>({ key: 'percent', descending: false });
  const rows = useMemo(() => {
    const sorted = [...data.rows].sort((a, b) => {
      const x = sortValue(a, sort.key);
      const y = sortValue(b, sort.key);
      const order = typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y), 'ru');
      return sort.descending ? -order : order;
    });
    return sorted;
  }, [data.rows, sort]);
  const header = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.descending ? 'descending' : 'ascending') : 'none'}>
      <button type="button" onClick={() => setSort((s) => ({ key, descending: s.key === key ? !s.descending : false }))}>
        {label}
        {sort.key === key ? (sort.descending ? ' ▼' : ' ▲') : ''}
      </button>
    </th>
  );
  return (
    <>
      <p className="hint" aria-live="polite">
        {data.organization.name} · {t('admin.compliance.as-of', { date: date(data.asOf) })} ·{' '}
        {t('admin.compliance.count', { count: data.rows.length })}
        {loading && ' …'}
      </p>
      <Exports filters={filters} />
      {rows.length === 0 ? (
        <Empty>{t('admin.compliance.empty')}</Empty>
      ) : (
        <div className="table-wrap">
          <table className="compliance" data-testid="compliance-table">
            <thead>
              <tr>
                {header('fullName', t('admin.compliance.columns.name'))}
                {header('total', t('admin.compliance.columns.total'))}
                {header('remaining', t('admin.compliance.columns.remaining'))}
                {header('percent', '%')}
                {header('pace', t('admin.compliance.columns.pace'))}
                {header('cycleEnd', t('admin.compliance.columns.cycle-end'))}
                {header('cases', t('admin.compliance.columns.cases'))}
                {header('lastActivity', t('admin.compliance.columns.activity'))}
                {header('department', t('admin.compliance.columns.department'))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.personId ?? row.externalId ?? row.fullName} data-testid="compliance-row">
                  <td>
                    <span data-testid="row-name">{row.fullName}</span>
                    <span className="hint block">
                      {[row.categoryLabel, row.department, row.linked ? null : t('admin.compliance.not-linked')]
                        .filter(Boolean)
                        .join(' · ')}
                    </span>
                  </td>
                  <td className="number" data-testid="row-total">
                    {n(row.total)}
                  </td>
                  <td className="number" data-testid="row-remaining">
                    {n(row.remaining)}
                  </td>
                  <td className="number">{n(row.percent)}</td>
                  <td>
                    {row.met ? (
                      <Badge tone="good">{t('admin.compliance.met')}</Badge>
                    ) : (
                      <Badge tone={row.pace === 'behind' ? 'warn' : 'neutral'}>{row.paceLabel}</Badge>
                    )}
                  </td>
                  <td>{date(row.cycleEnd)}</td>
                  <td className="number">
                    {row.openDisputes} / {row.openAppeals}
                  </td>
                  <td>{row.lastActivity ? day(row.lastActivity) : '—'}</td>
                  <td>{row.department ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** XLSX and PDF of the table as filtered: saved from the page, or sent into the admin's chat with the bot. */
function Exports({ filters }: { filters: Partial<Filters> }) {
  const { t } = useStrings();
  const { api } = useCabinet();
  const action = useAction();
  async function download(format: 'xlsx' | 'pdf') {
    await action.run(
      async () => {
        const blob = await api.blob('admin/compliance/export', { ...filters, format });
        const url = URL.createObjectURL(blob);
        const link = document.createElement('a');
        link.href = url;
        link.download = `compliance.${format}`;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 10_000);
      },
      () => t('admin.compliance.downloaded'),
    );
  }
  return (
    <div className="export-buttons">
      <button type="button" className="button secondary" disabled={action.busy} onClick={() => void download('xlsx')}>
        ⬇️ XLSX
      </button>
      <button type="button" className="button secondary" disabled={action.busy} onClick={() => void download('pdf')}>
        ⬇️ PDF
      </button>
      {(['xlsx', 'pdf'] as const).map((format) => (
        <button
          key={format}
          type="button"
          className="button secondary"
          disabled={action.busy}
          onClick={() =>
            void action.run(
              () => api.post<ActionResult>('admin/compliance/send', { ...filters, format }),
              (r) => r.message,
            )
          }
        >
          {t(`admin.compliance.send-${format}`)}
        </button>
      ))}
      <Outcome outcome={action.outcome} />
    </div>
  );
}
