import { hapticFeedback } from '@telegram-apps/sdk-react';
import { type ReactNode, useState } from 'react';
import { ApiFailure } from '../api/client';
import type { Resource } from '../api/use-resource';
import { useStrings } from '../i18n/strings';

export function Loading({ label }: { label: string }) {
  return (
    <div className="loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      {label}
    </div>
  );
}

export function Failure({ message, retry, onRetry }: { message: string; retry?: string; onRetry?: () => void }) {
  return (
    <div className="failure" role="alert">
      <p>{message}</p>
      {retry && onRetry && (
        <button type="button" className="button secondary" onClick={onRetry}>
          {retry}
        </button>
      )}
    </div>
  );
}

/** A screen's data: a spinner the first time, the server's sentence on failure, then the content. */
export function Loaded<T>({ resource, children }: { resource: Resource<T>; children: (data: T) => ReactNode }) {
  const { t } = useStrings();
  if (resource.data !== null) return <>{children(resource.data)}</>;
  if (resource.error) return <Failure message={resource.error.message} retry={t('retry')} onRetry={resource.reload} />;
  return <Loading label={t('loading')} />;
}

export function Section({ title, children, testId }: { title?: string; children: ReactNode; testId?: string }) {
  return (
    <section className="section" data-testid={testId}>
      {title && <h2 className="section-title">{title}</h2>}
      {children}
    </section>
  );
}

export function Badge({ tone = 'neutral', children }: { tone?: 'neutral' | 'good' | 'warn' | 'bad'; children: ReactNode }) {
  return <span className={`badge ${tone}`}>{children}</span>;
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/**
 * An action through the API: the button waits while it runs, the outcome (the server's sentence) is shown
 * under it, and the phone answers with a haptic tick, as Telegram's own buttons do.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; message: string } | null>(null);
  async function run<T>(action: () => Promise<T>, message: (result: T) => string): Promise<T | null> {
    setBusy(true);
    setOutcome(null);
    try {
      const result = await action();
      hapticFeedback.notificationOccurred.ifAvailable('success');
      setOutcome({ ok: true, message: message(result) });
      return result;
    } catch (error) {
      hapticFeedback.notificationOccurred.ifAvailable('error');
      setOutcome({ ok: false, message: error instanceof ApiFailure ? error.message : String(error) });
      return null;
    } finally {
      setBusy(false);
    }
  }
  return { busy, outcome, run, reset: () => setOutcome(null) };
}

export function Outcome({ outcome }: { outcome: { ok: boolean; message: string } | null }) {
  if (!outcome) return null;
  return (
    <p className={outcome.ok ? 'outcome ok' : 'outcome refused'} role={outcome.ok ? 'status' : 'alert'}>
      {outcome.message}
    </p>
  );
}

/** A deadline in working days, marked when it was counted on the fallback calendar. */
export function DeadlineLine({
  label,
  deadline,
}: {
  label: string;
  deadline: { at: string; workingDaysLeft: number; provisional: boolean };
}) {
  const { t, day } = useStrings();
  return (
    <p className="deadline" data-testid="deadline">
      {label}: <strong>{day(deadline.at)}</strong>
      {' · '}
      {deadline.workingDaysLeft > 0 ? t('deadline.working-days-left', { count: deadline.workingDaysLeft }) : t('deadline.passed')}
      {deadline.provisional && (
        <>
          {' '}
          <Badge tone="warn">{t('deadline.provisional')}</Badge>
          <span className="hint block">{t('deadline.provisional-hint')}</span>
        </>
      )}
    </p>
  );
}
