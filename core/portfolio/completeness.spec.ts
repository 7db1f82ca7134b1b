import { nmo709n } from '../rules/shipped/nmo-709n';
import { type CheckedItem, checkCompleteness } from './completeness';

const report: CheckedItem = {
  section: 'ACTIVITY_REPORT',
  typeCode: 'report',
  description: 'Отчёт о работе за 5 лет',
  hours: null,
  documents: 0,
};
const edu = (typeCode: string, hours: number, documents = 1): CheckedItem => ({
  section: 'EDUCATION',
  typeCode,
  description: null,
  hours,
  documents,
});

describe('checkCompleteness', () => {
  it('is complete with a goal, a report, 144 hours of which 72 ПК, each education item with a document', () => {
    const result = checkCompleteness({ goal: 'Аккредитация', items: [report, edu('pk', 72), edu('iom', 36), edu('event', 36)] }, nmo709n);
    expect(result).toEqual({ complete: true, educationCredits: 144, gaps: [] });
  });

  it('names everything missing of an empty portfolio', () => {
    const result = checkCompleteness({ goal: '  ', items: [] }, nmo709n);
    expect(result.gaps).toEqual([
      { code: 'no-goal' },
      { code: 'no-activity-report' },
      { code: 'no-education' },
      { code: 'group-below-minimum', group: 'pk', counted: 0, minimum: 72 },
    ]);
    expect(result.complete).toBe(false);
  });

  it('reports hours below the requirement, ПК below its minimum and items without a document', () => {
    const result = checkCompleteness({ goal: 'x', items: [report, edu('pk', 36, 0), edu('iom', 20), edu('unknown', 500)] }, nmo709n);
    expect(result.educationCredits).toBe(56);
    expect(result.gaps).toEqual([
      { code: 'education-below-required', counted: 56, required: 144 },
      { code: 'group-below-minimum', group: 'pk', counted: 36, minimum: 72 },
      { code: 'items-without-document', count: 1 },
    ]);
  });

  it('a report without text does not count; a publication without a document does count as missing one', () => {
    const emptyReport = { ...report, description: ' ' };
    const publication: CheckedItem = {
      section: 'ACTIVITY_REPORT',
      typeCode: 'publication',
      description: 'Статья',
      hours: null,
      documents: 0,
    };
    const result = checkCompleteness({ goal: 'x', items: [emptyReport, publication, edu('pk', 144)] }, nmo709n);
    expect(result.gaps).toEqual([{ code: 'no-activity-report' }, { code: 'items-without-document', count: 1 }]);
  });
});
