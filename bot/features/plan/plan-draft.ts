/** The /plan add wizard's answers so far; the nonce makes buttons of an abandoned wizard stale. */
export interface PlanDraft {
  nonce: string;
  step: 'kind' | 'title' | 'dates' | 'hours' | 'provider' | 'confirm';
  typeCode?: string;
  title?: string;
  startsOn?: string;
  endsOn?: string;
  hours?: number;
  provider?: string;
}
