import type { Person } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { Database } from '../shared/database';
import { kindInfo } from './notification-kinds';
import type { QuietHoursSetting } from './quiet-hours-input';
import { isRussianTimeZone } from './time-zones';

export type SettingsRefusal = 'kind-unknown' | 'kind-not-mutable' | 'time-zone-unknown' | 'quiet-hours-range';
export type SettingsOutcome = { ok: true; person: Person } | { ok: false; reason: SettingsRefusal };

type Patch = Partial<Pick<Person, 'language' | 'timeZone' | 'quietHoursStart' | 'quietHoursEnd' | 'mutedKinds'>>;

const MINUTES_PER_DAY = 24 * 60;

/**
 * A person's own settings (R-SETTINGS). Each change is stored on Person at once (the outbound sender
 * reads it at send time, so nothing already scheduled needs rewriting) and journaled with before/after.
 */
export class SettingsService {
  constructor(private readonly db: Database) {}

  setLanguage(person: Person, language: Person['language']): Promise<SettingsOutcome> {
    return this.change(person, 'settings.language', { language });
  }

  async setTimeZone(person: Person, timeZone: string): Promise<SettingsOutcome> {
    if (!isRussianTimeZone(timeZone)) return { ok: false, reason: 'time-zone-unknown' };
    return this.change(person, 'settings.time-zone', { timeZone });
  }

  async setQuietHours(person: Person, quiet: QuietHoursSetting): Promise<SettingsOutcome> {
    const valid = (m: number) => Number.isInteger(m) && m >= 0 && m < MINUTES_PER_DAY;
    if (!valid(quiet.start) || !valid(quiet.end)) return { ok: false, reason: 'quiet-hours-range' };
    return this.change(person, 'settings.quiet-hours', { quietHoursStart: quiet.start, quietHoursEnd: quiet.end });
  }

  /** Switches one kind on or off; deadline notices that must reach the person are refused. */
  async setKindMuted(person: Person, kind: string, muted: boolean): Promise<SettingsOutcome> {
    const info = kindInfo(kind);
    if (!info) return { ok: false, reason: 'kind-unknown' };
    if (!info.mutable && muted) return { ok: false, reason: 'kind-not-mutable' };
    const others = person.mutedKinds.filter((k) => k !== kind);
    return this.change(person, 'settings.muted-kinds', { mutedKinds: muted ? [...others, kind] : others });
  }

  private async change(person: Person, action: string, patch: Patch): Promise<SettingsOutcome> {
    const updated = await this.db.$transaction(async (tx) => {
      const current = await tx.person.findUniqueOrThrow({ where: { id: person.id } });
      const before = Object.fromEntries(Object.keys(patch).map((k) => [k, current[k as keyof Patch]]));
      const next = await tx.person.update({ where: { id: person.id }, data: patch });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action,
        subjectType: 'person',
        subjectId: person.id,
        before,
        after: patch,
      });
      return next;
    });
    return { ok: true, person: updated };
  }
}
