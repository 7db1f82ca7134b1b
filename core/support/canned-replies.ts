import type { CannedReply, Language } from '../../generated/prisma/client';
import type { Database } from '../shared/database';
import { stripControlCharacters } from '../shared/text';

/** Names agents type after /reply: short, lowercase, no spaces. */
export const CANNED_NAME = /^[a-z0-9_-]{1,32}$/;
export const CANNED_TEXT_MAX = 3500;

export interface CannedValues {
  /** The person's full name (ФИО); {{name}} shows the first name only. */
  fullName: string | null;
  ticketNumber: number;
  agentName: string;
}

/** The first name of an «Фамилия Имя Отчество» (the only word when there is one). */
export function firstNameOf(fullName: string | null): string {
  const words = (fullName ?? '').trim().split(/\s+/).filter(Boolean);
  return words.length >= 2 ? words[1] : (words[0] ?? '');
}

/** Fills {{name}}, {{ticket}} and {{agent}}; other braces are left as they are. */
export function fillCannedReply(text: string, values: CannedValues): string {
  const byKey: Record<string, string> = {
    name: firstNameOf(values.fullName),
    ticket: String(values.ticketNumber),
    agent: values.agentName,
  };
  return text.replace(/\{\{\s*(name|ticket|agent)\s*\}\}/g, (_, key: string) => byKey[key]);
}

/** Canned replies agents send with /reply <name>; admins manage them over the admin API. */
export class CannedRepliesService {
  constructor(private readonly db: Database) {}

  list(): Promise<CannedReply[]> {
    return this.db.cannedReply.findMany({ orderBy: { name: 'asc' } });
  }

  get(name: string): Promise<CannedReply | null> {
    return CANNED_NAME.test(name) ? this.db.cannedReply.findUnique({ where: { name } }) : Promise.resolve(null);
  }

  put(name: string, text: string, language: Language = 'ru'): Promise<CannedReply> {
    const clean = stripControlCharacters(text);
    return this.db.cannedReply.upsert({ where: { name }, create: { name, text: clean, language }, update: { text: clean, language } });
  }

  async remove(name: string): Promise<boolean> {
    const { count } = await this.db.cannedReply.deleteMany({ where: { name } });
    return count === 1;
  }
}
