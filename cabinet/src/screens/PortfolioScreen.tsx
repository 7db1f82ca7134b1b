import type { Portfolio } from '../../../bot/http/cabinet/wire';
import { useResource } from '../api/use-resource';
import { Badge, Empty, Loaded, Section } from '../components/ui';
import { useStrings } from '../i18n/strings';
import { DocumentLink } from './EntriesScreen';

/** The accreditation portfolio with what is still missing (R-PORTFOLIO). */
export function PortfolioScreen() {
  const portfolio = useResource<Portfolio>('portfolio');
  return <Loaded resource={portfolio}>{(data) => <PortfolioView data={data} />}</Loaded>;
}

function PortfolioView({ data }: { data: Portfolio }) {
  const { t, date, n } = useStrings();
  const window = data.window && (
    <p className="hint">{t(data.window.open ? 'portfolio.window-open' : 'portfolio.window-opens', { date: date(data.window.opensOn) })}</p>
  );
  if (!data.portfolio)
    return (
      <Section title={t('portfolio.title')}>
        <Empty>{t('portfolio.none')}</Empty>
        {window}
      </Section>
    );
  const { portfolio } = data;
  return (
    <>
      <Section title={portfolio.name} testId="portfolio">
        <p className="hint">{t('portfolio.period', { start: date(portfolio.period.start), end: date(portfolio.period.end) })}</p>
        <p>{portfolio.goal ? t('portfolio.goal', { goal: portfolio.goal }) : t('portfolio.no-goal')}</p>
        <p>{t('portfolio.education', { counted: n(portfolio.educationCredits), required: n(portfolio.required), unit: data.unitLabel })}</p>
        {window}
        {portfolio.complete ? (
          <Badge tone="good">{t('portfolio.complete')}</Badge>
        ) : (
          <div className="missing" data-testid="portfolio-missing">
            <p className="section-subtitle">{t('portfolio.missing')}</p>
            <ul>
              {portfolio.gaps.map((gap) => (
                <li key={gap}>{gap}</li>
              ))}
            </ul>
          </div>
        )}
      </Section>
      <Section title={t('portfolio.items')}>
        {portfolio.items.length === 0 && <Empty>{t('portfolio.no-items')}</Empty>}
        {portfolio.items.map((item) => (
          <article key={item.id} className="card" data-testid="portfolio-item">
            <div className="card-head">
              <span className="card-title">{item.title}</span>
              <Badge>{item.accessLabel}</Badge>
            </div>
            <p className="hint">
              {item.typeLabel}
              {item.date && ` · ${date(item.date)}`}
              {item.hours !== null && ` · ${t('plan.hours', { hours: n(item.hours) })}`}
            </p>
            {item.description && <p>{item.description}</p>}
            {item.url && (
              <p>
                <a href={item.url} target="_blank" rel="noopener noreferrer">
                  {item.url}
                </a>
              </p>
            )}
            {item.documents.length === 0 ? (
              <p className="warning">{t('portfolio.no-document')}</p>
            ) : (
              item.documents.map((document) => <DocumentLink key={document.id} document={document} />)
            )}
          </article>
        ))}
        <p className="hint">{t('portfolio.edit-in-chat')}</p>
      </Section>
    </>
  );
}
