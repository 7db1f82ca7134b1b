import type { Cycle } from '../../../bot/http/cabinet/wire';
import { useResource } from '../api/use-resource';
import { useCabinet } from '../cabinet-context';
import { ProgressChart } from '../components/ProgressChart';
import { Badge, Loaded, Section } from '../components/ui';
import { useStrings } from '../i18n/strings';

/** The first screen: where the cycle stands, the chart, and what would close the gap (R-CREDITS). */
export function CycleScreen() {
  const cycle = useResource<Cycle>('cycle');
  return <Loaded resource={cycle}>{(data) => <CycleView cycle={data} />}</Loaded>;
}

function CycleView({ cycle }: { cycle: Cycle }) {
  const { t, n, date } = useStrings();
  const { session, open } = useCabinet();
  const unit = cycle.ruleSet.unitLabel;
  const paceTone = cycle.met || cycle.pace.status !== 'behind' ? 'good' : cycle.pace.lag === 'at-risk' ? 'bad' : 'warn';
  return (
    <>
      <header className="hero">
        <p className="hint">{session.person?.fullName}</p>
        <h1>{cycle.ruleSet.name}</h1>
        <p className="hint">
          {t('cycle.period', { start: date(cycle.period.start), end: date(cycle.period.end) })} ·{' '}
          {t('cycle.days-left', { count: cycle.daysLeft })}
        </p>
        <div className="progress" role="progressbar" aria-valuenow={cycle.percent} aria-valuemin={0} aria-valuemax={100}>
          <div className="progress-fill" style={{ width: `${Math.min(100, cycle.percent)}%` }} />
        </div>
        <div className="stats">
          <div className="stat">
            <span className="stat-value" data-testid="cycle-total">
              {n(cycle.total)}
            </span>
            <span className="stat-label">{t('cycle.total', { required: n(cycle.required), unit })}</span>
          </div>
          <div className="stat">
            <span className="stat-value" data-testid="cycle-remaining">
              {n(cycle.remaining)}
            </span>
            <span className="stat-label">{t('cycle.remaining', { unit })}</span>
          </div>
          <div className="stat">
            <span className="stat-value" data-testid="cycle-percent">
              {n(cycle.percent)}%
            </span>
            <span className="stat-label">{t('cycle.percent')}</span>
          </div>
        </div>
        <span data-testid="cycle-required" hidden>
          {n(cycle.required)}
        </span>
        {cycle.met ? <Badge tone="good">{t('cycle.met')}</Badge> : <p className={`pace ${paceTone}`}>{cycle.pace.sentence}</p>}
      </header>

      <Section title={t('cycle.chart-title', { unit })}>
        <ProgressChart cycle={cycle} />
      </Section>

      {cycle.groups.length > 0 && (
        <Section title={t('cycle.minimums')}>
          {cycle.groups.map((group) => (
            <div key={group.group} className="row" data-testid={`group-${group.group}`}>
              <span>{group.name}</span>
              <span>
                {n(group.counted)} / {n(group.minimum)} {unit}{' '}
                {group.shortfall > 0 ? (
                  <Badge tone="warn">{t('cycle.short', { shortfall: n(group.shortfall) })}</Badge>
                ) : (
                  <Badge tone="good">✓</Badge>
                )}
              </span>
            </div>
          ))}
        </Section>
      )}

      <Section title={t('cycle.by-type')}>
        {cycle.byType.map((type) => (
          <div key={type.code} className="row">
            <span>{type.name}</span>
            <span>
              {n(type.counted)} {unit}
              {type.cap !== null && type.raw > type.counted && <span className="hint"> · {t('cycle.capped', { cap: n(type.cap) })}</span>}
              {type.unverified > 0 && <span className="hint"> · {t('cycle.unverified', { credits: n(type.unverified) })}</span>}
            </span>
          </div>
        ))}
      </Section>

      {cycle.suggestions.length > 0 && (
        <Section title={t('cycle.suggestions')}>
          <ul className="suggestions">
            {cycle.suggestions.map((suggestion) => (
              <li key={suggestion}>{suggestion}</li>
            ))}
          </ul>
        </Section>
      )}

      {cycle.warnings.map((warning) => (
        <p key={warning} className="warning" role="note">
          ⚠️ {warning}
        </p>
      ))}

      {cycle.portfolioWindow && (
        <p className="hint center">
          {t(cycle.portfolioWindow.open ? 'cycle.portfolio-open' : 'cycle.portfolio-opens', { date: date(cycle.portfolioWindow.opensOn) })}
        </p>
      )}

      <div className="actions">
        <button type="button" className="button" onClick={() => open({ kind: 'add-entry' })}>
          {t('entries.add')}
        </button>
      </div>
    </>
  );
}
