import type { ApplicationView, Cases, DisputeView, TimelineStep } from '../../../bot/http/cabinet/wire';
import { useResource } from '../api/use-resource';
import { useCabinet } from '../cabinet-context';
import { Badge, DeadlineLine, Empty, Loaded, Section } from '../components/ui';
import { useStrings } from '../i18n/strings';
import { DocumentLink } from './EntriesScreen';

const STATUS_TONE: Record<string, 'good' | 'warn' | 'bad' | 'neutral'> = {
  APPROVED: 'good',
  REJECTED: 'bad',
  ACTION_REQUIRED: 'warn',
  UNDER_REVIEW: 'neutral',
  SUBMITTED: 'neutral',
  PROCESSING: 'neutral',
};

/** Applications, disputes and appeals with their history and every deadline (R-APPS, R-DISPUTE, R-APPEAL). */
export function CasesScreen() {
  const cases = useResource<Cases>('cases');
  const { t } = useStrings();
  return (
    <Loaded resource={cases}>
      {(data) => (
        <>
          <Section title={t('cases.applications')} testId="applications">
            {data.applications.length === 0 && <Empty>{t('cases.no-applications')}</Empty>}
            {data.applications.map((application) => (
              <ApplicationCard key={application.id} application={application} />
            ))}
          </Section>
          <Section title={t('cases.disputes')} testId="disputes">
            {data.disputes.length === 0 && <Empty>{t('cases.no-disputes')}</Empty>}
            {data.disputes.map((dispute) => (
              <DisputeCard key={dispute.id} dispute={dispute} />
            ))}
          </Section>
        </>
      )}
    </Loaded>
  );
}

function Timeline({ steps }: { steps: TimelineStep[] }) {
  const { dateTime } = useStrings();
  return (
    <ol className="timeline">
      {steps.map((step) => (
        <li key={`${step.at}-${step.label}`}>
          <span className="hint">{dateTime(step.at)}</span> {step.label}
          {step.comment && <span className="comment">«{step.comment}»</span>}
        </li>
      ))}
    </ol>
  );
}

function ApplicationCard({ application }: { application: ApplicationView }) {
  const { t, day } = useStrings();
  return (
    <article className="card" data-testid="application">
      <div className="card-head">
        <span className="card-title">{application.title}</span>
        <Badge tone={STATUS_TONE[application.status]}>{application.statusLabel}</Badge>
      </div>
      <p className="hint">{t('cases.changed', { date: day(application.statusChangedAt) })}</p>
      {application.responsibleBody && <p>{t('cases.body', { body: application.responsibleBody })}</p>}
      {application.contacts && <p>{t('cases.contacts', { contacts: application.contacts })}</p>}
      {application.missingDocuments.length > 0 && (
        <p className="warning">{t('cases.missing', { kinds: application.missingDocuments.join(', ') })}</p>
      )}
      {application.clarificationFrom && !application.canRequestClarification && (
        <p className="hint">{t('cases.clarification-from', { date: day(application.clarificationFrom) })}</p>
      )}
      {application.canRequestClarification && <p className="hint">{t('cases.clarification-now')}</p>}
      {application.documents.map((document) => (
        <DocumentLink key={document.id} document={document} />
      ))}
      <Timeline steps={application.timeline} />
    </article>
  );
}

function DisputeCard({ dispute }: { dispute: DisputeView }) {
  const { t } = useStrings();
  const { open } = useCabinet();
  return (
    <article className="card" data-testid="dispute">
      <div className="card-head">
        <span className="card-title">{dispute.subject}</span>
        <Badge tone={STATUS_TONE[dispute.status]}>{dispute.statusLabel}</Badge>
      </div>
      {dispute.requestedValue && <p className="hint">{t('cases.requested', { value: dispute.requestedValue })}</p>}
      {dispute.due && <DeadlineLine label={t('cases.review-due')} deadline={dispute.due} />}
      {dispute.evidence.map((document) => (
        <DocumentLink key={document.id} document={document} />
      ))}
      <Timeline steps={dispute.timeline} />
      {dispute.appealWindow && (
        <>
          <DeadlineLine label={t('cases.appeal-until')} deadline={dispute.appealWindow} />
          <button
            type="button"
            className="button secondary"
            onClick={() => open({ kind: 'appeal', disputeId: dispute.id, until: dispute.appealWindow!.at })}
          >
            {t('cases.appeal')}
          </button>
        </>
      )}
      {dispute.appeal && (
        <div className="nested" data-testid="appeal">
          <div className="card-head">
            <span className="card-title">{t('cases.appeal-title')}</span>
            <Badge tone={STATUS_TONE[dispute.appeal.status]}>{dispute.appeal.statusLabel}</Badge>
          </div>
          {dispute.appeal.due && <DeadlineLine label={t('cases.review-due')} deadline={dispute.appeal.due} />}
          <Timeline steps={dispute.appeal.timeline} />
        </div>
      )}
    </article>
  );
}
