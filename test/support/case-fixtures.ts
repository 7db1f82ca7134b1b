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
