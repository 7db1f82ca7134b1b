import * as ical from 'node-ical';
import { foldLine, renderPlanIcs, type PlanIcsInput } from './plan-ics';

const input: PlanIcsInput = {
  calendarName: 'План обучения НМО',
  uidDomain: 'nmo-assistant',
  generatedAt: new Date('2026-11-25T10:00:00Z'),
  events: [
    {
      id: '11111111-1111-4111-8111-111111111111',
      startsOn: '2027-02-01',
      endsOn: '2027-02-10',
      summary: 'ПК: Сестринское дело в педиатрии; часть 1, модуль «А»',
      description: 'Организатор: РМАНПО\nЧасов: 36\nпуть C:\\курсы',
      alarm: 'Завтра начинается: Сестринское дело в педиатрии',
    },
    {
      id: '22222222-2222-4222-8222-222222222222',
      startsOn: '2027-02-05',
      endsOn: '2027-02-05',
      summary: 'Конференция',
      description: 'Часов: 6',
      alarm: 'Завтра',
    },
  ],
};

describe('renderPlanIcs', () => {
  const text = renderPlanIcs(input).toString('utf8');

  it('is parsed back by a real iCalendar parser: all-day events, end exclusive, text unescaped', () => {
    const parsed = ical.sync.parseICS(text);
    const events = Object.values(parsed).filter((c): c is ical.VEvent => c?.type === 'VEVENT');
    expect(events).toHaveLength(2);
    const [first, second] = events;
    expect(first.uid).toBe('11111111-1111-4111-8111-111111111111@nmo-assistant');
    expect(first.summary).toBe('ПК: Сестринское дело в педиатрии; часть 1, модуль «А»');
    expect(first.description).toBe('Организатор: РМАНПО\nЧасов: 36\nпуть C:\\курсы');
    expect(first.datetype).toBe('date');
    expect(first.start.getFullYear()).toBe(2027);
    expect([first.start.getMonth(), first.start.getDate()]).toEqual([1, 1]);
    expect([first.end!.getMonth(), first.end!.getDate()]).toEqual([1, 11]);
    expect([second.end!.getMonth(), second.end!.getDate()]).toEqual([1, 6]);
    const alarm = (first as unknown as { alarms?: Array<{ trigger?: unknown; action?: string }> }).alarms;
    expect(text).toContain('TRIGGER:-P1D');
    if (alarm) expect(alarm[0].action).toBe('DISPLAY');
  });

  it('has the calendar properties, CRLF line ends and no line above 75 octets', () => {
    expect(text.startsWith('BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:')).toBe(true);
    expect(text).toContain('\r\nCALSCALE:GREGORIAN\r\n');
    expect(text).toContain('DTSTART;VALUE=DATE:20270201\r\nDTEND;VALUE=DATE:20270211');
    expect(text).toContain('DTSTAMP:20261125T100000Z');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    for (const line of text.split('\r\n')) expect(Buffer.byteLength(line, 'utf8')).toBeLessThanOrEqual(75);
    expect(text).toContain('\\;');
    expect(text).toContain('\\,');
  });

  it('folds on character boundaries, never inside a Cyrillic letter', () => {
    const line = `SUMMARY:${'Ж'.repeat(100)}`;
    const folded = foldLine(line);
    expect(folded.split('\r\n ').join('')).toBe(line);
    for (const part of folded.split('\r\n')) expect(Buffer.byteLength(part, 'utf8')).toBeLessThanOrEqual(75);
  });

  it('gives the same bytes for the same input', () => {
    expect(renderPlanIcs(input).equals(renderPlanIcs(input))).toBe(true);
  });
});
