import { CalendarXmlError, parseXmlCalendar } from './xmlcalendar';

const wrap = (days: string, root = '<calendar year="2027" lang="ru">') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n${root}<days>${days}</days></calendar>`;

describe('parseXmlCalendar', () => {
  it('reads days off, shortened days and working weekends', () => {
    const data = parseXmlCalendar(
      wrap(`<!-- c --><day d="01.01" t="1" h="1"/><day d="04.30" t="2"/><day d='12.28' t="3" /><day d="01.09" t="1" f="01.03"/>`),
    );
    expect(data.year).toBe(2027);
    expect([...data.daysOff]).toEqual(['2027-01-01', '2027-01-09']);
    expect([...data.shortened]).toEqual(['2027-04-30']);
    expect([...data.workingWeekends]).toEqual(['2027-12-28']);
  });

  it('accepts a year with no listed days', () => {
    expect(parseXmlCalendar('<calendar year="2030"></calendar>').daysOff.size).toBe(0);
  });

  const refusals: Array<[string, string, RegExp]> = [
    ['empty input', '   ', /empty/],
    ['not XML', 'year,day\n2027,01.01', /not XML/],
    ['wrong root', '<holidays year="2027"></holidays>', /wrong root element <holidays>/],
    ['unclosed root', '<calendar year="2027"><days>', /not closed/],
    ['year missing', wrap('', '<calendar lang="ru">'), /year is missing/],
    ['bad year', wrap('', '<calendar year="27">'), /bad year "27"/],
    ['bad type', wrap('<day d="01.01" t="4"/>'), /bad day attribute t="4"/],
    ['missing type', wrap('<day d="01.01"/>'), /bad day attribute t=null/],
    ['missing date', wrap('<day t="1"/>'), /no d="MM.DD"/],
    ['bad date format', wrap('<day d="2027-01-01" t="1"/>'), /d="2027-01-01".*expected MM.DD/],
    ['day outside the year', wrap('<day d="02.29" t="1"/>'), /d="02.29".*outside the year 2027/],
    ['month 13', wrap('<day d="13.01" t="1"/>'), /outside the year/],
    ['duplicate day', wrap('<day d="01.01" t="1"/><day d="01.01" t="2"/>'), /2027-01-01 is listed twice/],
    ['malformed attributes', wrap('<day d="01.01" t=1/>'), /malformed attributes/],
  ];
  it.each(refusals)('refuses %s', (_name, xml, message) => {
    expect(() => parseXmlCalendar(xml)).toThrow(CalendarXmlError);
    expect(() => parseXmlCalendar(xml)).toThrow(message);
  });
});
