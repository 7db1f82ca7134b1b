import type { Database } from '../../core/shared/database';

/** Rows the integration tests of applications and disputes need, written directly. */
export async function createPerson(db: Database, name = 'Иванова Мария Петровна') {
  return db.person.create({ data: { fullName: name, onboardingStep: 'LINKED' } });
}

export async function createDocument(
  db: Database,
  personId: string,
  kind: 'CERTIFICATE' | 'DIPLOMA' | 'REPORT' | 'IDENTITY' | 'OTHER' = 'CERTIFICATE',
) {
  const sha = `${personId}-${kind}-${Math.random().toString(16).slice(2)}`;
  return db.document.create({
    data: {
      personId,
      kind,
      sha256: sha,
      mediaType: 'application/pdf',
      sizeBytes: 1000,
      storageKey: `k/${sha}`,
      originalName: 'certificate.pdf',
    },
  });
}

export async function createEntry(db: Database, personId: string, quantity = 36) {
  return db.creditEntry.create({
    data: { personId, creditTypeCode: 'pk', quantity, occurredOn: new Date('2025-10-01T00:00:00Z'), source: 'IMPORT' },
  });
}

export const noDispatch = { dispatch: async () => undefined };

export function recordingEvaluations() {
  const requests: string[] = [];
  return { requests, request: async (personId: string) => void requests.push(personId) };
}

/**
 * The database as a process sees it that dies the instant its transaction commits: the transaction
 * runs and commits for real, then nothing after it happens (the caller gets an error instead).
 * What must survive such a crash has to be written inside the transaction.
 */
export function crashingAfterCommit(db: Database): Database {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== '$transaction') return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<Database['$transaction']>) => {
        await (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args);
        throw new Error('the process died right after the commit');
      };
    },
  });
}
