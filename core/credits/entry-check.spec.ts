import { getShippedRuleSet } from '../rules';
import { checkCreditEntry } from './entry-check';
import { resolvePeriod } from './period';

const nmo = getShippedRuleSet('nmo-709n');
const today = '2026-03-15';
const period = resolvePeriod(nmo, { cycleStart: '2023-03-15' }, today);

describe('a person enters a credit', () => {
  it('saves an ИОМ of 6 hours dated yesterday', () => {
    expect(checkCreditEntry(nmo, { typeCode: 'iom', quantity: 6, date: '2026-03-14' }, period, today)).toEqual({ ok: true });
  });

  it('is told the type is not on the list', () => {
    expect(checkCreditEntry(nmo, { typeCode: 'webinar', quantity: 2, date: '2026-03-14' }, period, today)).toEqual({
      ok: false,
      problems: [{ code: 'unknown-type', typeCode: 'webinar' }],
    });
  });

  it('is told the quantity range of the type', () => {
    const check = (typeCode: string, quantity: number) => checkCreditEntry(nmo, { typeCode, quantity, date: '2026-03-14' }, period, today);
    expect(check('pk', 8)).toEqual({ ok: false, problems: [{ code: 'quantity-below-min', min: 16 }] });
    expect(check('iom', 40)).toEqual({ ok: false, problems: [{ code: 'quantity-above-max', max: 36 }] });
    expect(check('iom', 2.5)).toEqual({ ok: false, problems: [{ code: 'quantity-off-step', step: 1 }] });
    expect(check('iom', Number.NaN)).toEqual({ ok: false, problems: [{ code: 'quantity-not-a-number' }] });
  });

  it('is told a date is in the future, outside the cycle or not a date, together with other problems', () => {
    const check = (date: string) => checkCreditEntry(nmo, { typeCode: 'iom', quantity: 0, date }, period, today);
    expect(check('2026-03-16')).toEqual({
      ok: false,
      problems: [
        { code: 'quantity-below-min', min: 1 },
        { code: 'date-in-future', today },
      ],
    });
    expect(check('2023-03-14')).toMatchObject({
      problems: [{ code: 'quantity-below-min' }, { code: 'date-before-period', start: '2023-03-15' }],
    });
    expect(check('2026-02-30')).toMatchObject({ problems: [{ code: 'quantity-below-min' }, { code: 'date-invalid' }] });
  });
});
