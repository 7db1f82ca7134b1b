/**
 * Every inline button payload in one place: a reader finds a button's format here, and a handler's
 * pattern sits next to the builder that produces it. Payloads stay under Telegram's 64 bytes.
 */
export const callbackData = {
  language: (lang: 'ru' | 'en') => `lang:${lang}`,
  consent: (answer: 'yes' | 'no') => `consent:${answer}`,
  category: (category: string) => `cat:${category}`,
  onboardingBack: 'onb:back',
  privacyPolicy: 'privacy:policy',
  showCredits: 'credits:show',
  addStart: 'add:start',
  addType: (nonce: string, typeCode: string) => `add:t:${nonce}:${typeCode}`,
  addToday: (nonce: string) => `add:today:${nonce}`,
  addConfirm: (nonce: string) => `add:ok:${nonce}`,
  addCancel: (nonce: string) => `add:x:${nonce}`,
  history: 'hist:show',
  exportCsv: 'export:csv',
  exportPdf: 'export:pdf',
  entryCard: (entryId: string) => `entry:${entryId}`,
  entryEdit: (field: 'q' | 'd', entryId: string) => `entry:${field}:${entryId}`,
  entryDelete: (entryId: string) => `entry:del:${entryId}`,
  entryDeleteConfirmed: (entryId: string) => `entry:del!:${entryId}`,
  /** Documents: ids are compact (22 characters of base64url) so that two fit under 64 bytes. */
  documentList: 'doc:list',
  documentKind: (docRef: string, kind: string) => `doc:k:${docRef}:${kind}`,
  documentAttachMenu: (docRef: string) => `doc:a:${docRef}`,
  documentAttach: (docRef: string, entryRef: string) => `doc:e:${docRef}:${entryRef}`,
} as const;

export const callbackPattern = {
  language: /^lang:(ru|en)$/,
  consent: /^consent:(yes|no)$/,
  category: /^cat:([A-Z_]+)$/,
  onboardingBack: /^onb:back$/,
  privacyPolicy: /^privacy:policy$/,
  showCredits: /^credits:show$/,
  addStart: /^add:start$/,
  addType: /^add:t:([a-z0-9]+):([a-z0-9_-]+)$/,
  addToday: /^add:today:([a-z0-9]+)$/,
  addConfirm: /^add:ok:([a-z0-9]+)$/,
  addCancel: /^add:x:([a-z0-9]+)$/,
  history: /^hist:show$/,
  exportCsv: /^export:csv$/,
  exportPdf: /^export:pdf$/,
  entryCard: /^entry:([0-9a-f-]{36})$/,
  entryEdit: /^entry:(q|d):([0-9a-f-]{36})$/,
  entryDelete: /^entry:del:([0-9a-f-]{36})$/,
  entryDeleteConfirmed: /^entry:del!:([0-9a-f-]{36})$/,
  documentList: /^doc:list$/,
  documentKind: /^doc:k:([A-Za-z0-9_-]{22}):([a-z])$/,
  documentAttachMenu: /^doc:a:([A-Za-z0-9_-]{22})$/,
  documentAttach: /^doc:e:([A-Za-z0-9_-]{22}):([A-Za-z0-9_-]{22})$/,
} as const;
