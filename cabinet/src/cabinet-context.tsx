import { createContext, useContext } from 'react';
import type { Session } from '../../bot/http/cabinet/wire';
import type { Api } from './api/client';

/** What every screen needs: the API with this launch's initData, the session, and a way to say data changed. */
export interface CabinetContextValue {
  api: Api;
  session: Session;
  /** Grows after every action; screens reload what they show when it changes. */
  dataVersion: number;
  changed(): void;
  /** Opens a screen over the current tab (a form, a document); Telegram's back button closes it. */
  open(overlay: Overlay): void;
  close(): void;
}

export type Overlay =
  | { kind: 'document'; id: string; name: string; mediaType: string }
  | { kind: 'add-entry' }
  | { kind: 'attach'; entryId: string; entryTitle: string }
  | { kind: 'dispute'; entryId: string; entryTitle: string }
  | { kind: 'appeal'; disputeId: string; until: string };

export const CabinetContext = createContext<CabinetContextValue | null>(null);

export function useCabinet(): CabinetContextValue {
  const value = useContext(CabinetContext);
  if (!value) throw new Error('useCabinet outside the cabinet');
  return value;
}
