import { backButton, hapticFeedback, openTelegramLink } from '@telegram-apps/sdk-react';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import type { Session } from '../../bot/http/cabinet/wire';
import { ApiFailure, createApi } from './api/client';
import { prime } from './api/use-resource';
import { CabinetContext, type CabinetContextValue, type Overlay } from './cabinet-context';
import { Failure, Loading } from './components/ui';
import { browserLang } from './i18n/browser-lang';
import { FALLBACK } from './i18n/fallback';
import { createStrings, StringsContext } from './i18n/strings';
import { OverlayScreen } from './screens/OverlayScreen';
import { CasesScreen } from './screens/CasesScreen';
import { CycleScreen } from './screens/CycleScreen';
import { EntriesScreen } from './screens/EntriesScreen';
import { PlanScreen } from './screens/PlanScreen';
import { PortfolioScreen } from './screens/PortfolioScreen';

// The education department's screens are for a few people: their code loads only when opened.
const AdminScreen = lazy(() => import('./admin/AdminScreen'));

type Tab = 'cycle' | 'entries' | 'cases' | 'plan' | 'portfolio' | 'admin';
const STAFF_TABS: Tab[] = ['cycle', 'entries', 'cases', 'plan', 'portfolio'];

export function App({ initData }: { initData: string | null }) {
  const fallback = FALLBACK[browserLang()];
  const api = useMemo(
    () => (initData ? createApi(initData, { network: fallback.network, server: fallback.server }) : null),
    [initData, fallback],
  );
  const [session, setSession] = useState<Session | null>(null);
  const [failure, setFailure] = useState<ApiFailure | null>(null);
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!api) return;
    setFailure(null);
    // The first screen's data travel with the session instead of after it (unlinked: refused, never shown).
    if (attempt === 0) prime(api, 'cycle');
    api
      .get<Session>('session')
      .then(setSession, (error: unknown) =>
        setFailure(error instanceof ApiFailure ? error : new ApiFailure(0, 'failed', fallback.network)),
      );
  }, [api, attempt, fallback]);

  if (!api) return <Failure message={fallback['open-from-telegram']} />;
  if (failure)
    return (
      <Failure
        message={failure.message}
        retry={failure.status === 0 ? fallback.retry : undefined}
        onRetry={() => setAttempt((a) => a + 1)}
      />
    );
  if (!session) return <Loading label={fallback.loading} />;
  return <Cabinet api={api} session={session} />;
}

function Cabinet({ api, session }: { api: NonNullable<ReturnType<typeof createApi>>; session: Session }) {
  const strings = useMemo(() => createStrings(session.lang, session.strings), [session]);
  const { t } = strings;
  const [tab, setTab] = useState<Tab>('cycle');
  const [overlays, setOverlays] = useState<Overlay[]>([]);
  const [dataVersion, setDataVersion] = useState(0);

  const close = useCallback(() => setOverlays((stack) => stack.slice(0, -1)), []);
  const context = useMemo<CabinetContextValue>(
    () => ({
      api,
      session,
      dataVersion,
      changed: () => setDataVersion((v) => v + 1),
      open: (overlay) => setOverlays((stack) => [...stack, overlay]),
      close,
    }),
    [api, session, dataVersion, close],
  );

  // Telegram's own back button closes what was opened over a tab, as a phone's back gesture would.
  useEffect(() => {
    if (overlays.length === 0) {
      backButton.hide.ifAvailable();
      return;
    }
    backButton.show.ifAvailable();
    const [subscribed, off] = backButton.onClick.ifAvailable(close);
    return () => {
      if (subscribed) off();
    };
  }, [overlays.length, close]);

  useEffect(() => {
    document.documentElement.lang = session.lang;
    document.title = t('title');
  }, [session.lang, t]);

  if (!session.person) {
    return (
      <StringsContext.Provider value={strings}>
        <main className="screen unlinked" data-testid="unlinked">
          <h1>{t('title')}</h1>
          <p>{session.howToLink}</p>
          {session.botUsername && (
            <button
              type="button"
              className="button"
              onClick={() => {
                const url = `https://t.me/${session.botUsername}`;
                if (openTelegramLink.isAvailable()) openTelegramLink(url);
                else window.open(url, '_blank', 'noopener');
              }}
            >
              {t('back-to-chat')}
            </button>
          )}
        </main>
      </StringsContext.Provider>
    );
  }

  const tabs = session.admin ? [...STAFF_TABS, 'admin' as const] : STAFF_TABS;
  const overlay = overlays.at(-1);
  return (
    <StringsContext.Provider value={strings}>
      <CabinetContext.Provider value={context}>
        <div className="layout" hidden={overlay !== undefined}>
          <main className="screen" data-testid={`screen-${tab}`}>
            {tab === 'cycle' && <CycleScreen />}
            {tab === 'entries' && <EntriesScreen />}
            {tab === 'cases' && <CasesScreen />}
            {tab === 'plan' && <PlanScreen />}
            {tab === 'portfolio' && <PortfolioScreen />}
            {tab === 'admin' && (
              <Suspense fallback={<Loading label={t('loading')} />}>
                <AdminScreen />
              </Suspense>
            )}
          </main>
          <nav className="tabs" aria-label={t('tabs.label')}>
            {tabs.map((name) => (
              <button
                key={name}
                type="button"
                className={name === tab ? 'tab active' : 'tab'}
                aria-current={name === tab ? 'page' : undefined}
                onClick={() => {
                  hapticFeedback.selectionChanged.ifAvailable();
                  setTab(name);
                  window.scrollTo(0, 0);
                }}
              >
                <span className="tab-icon" aria-hidden="true">
                  {TAB_ICONS[name]}
                </span>
                {t(`tabs.${name}`)}
              </button>
            ))}
          </nav>
        </div>
        {overlay && <OverlayScreen overlay={overlay} />}
      </CabinetContext.Provider>
    </StringsContext.Provider>
  );
}

const TAB_ICONS: Record<Tab, string> = { cycle: '📊', entries: '📜', cases: '⚖️', plan: '📅', portfolio: '📁', admin: '🏥' };
