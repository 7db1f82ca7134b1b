import type { ActorType } from '../audit/audit-journal';

/** Who acts on an application or a case: the journal names them, the card shows their role. */
export interface CaseActor {
  type: ActorType;
  /** The person's id, a reviewer's name, or the channel ('http', 'cli'). */
  id?: string | null;
}

export const SYSTEM_ACTOR: CaseActor = { type: 'system' };

/** Stored in ApplicationTransition.actor as 'type' or 'type:id'. */
export function actorLabel(actor: CaseActor): string {
  return actor.id ? `${actor.type}:${actor.id}` : actor.type;
}

/** The role part of a stored actor, for the card ('admin', 'person', 'system', 'agent'). */
export function actorTypeOf(stored: string): ActorType {
  const type = stored.split(':')[0];
  return type === 'person' || type === 'agent' || type === 'admin' ? type : 'system';
}
