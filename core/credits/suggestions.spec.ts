import { getShippedRuleSet, type RuleSet } from '../rules';
import { suggestActions } from './suggestions';

const nmo = getShippedRuleSet('nmo-709n');

describe('suggestions to close a shortfall', () => {
  it('with 140 ЗЕТ, all from ИОМ, the ПК minimum of 72 decides: one 72-hour ПК', () => {
    const [first, second] = suggestActions(nmo, { iom: 140 });
    expect(first.actions).toEqual([{ typeCode: 'pk', count: 1, quantityEach: 72 }]);
    expect(second).toBeUndefined();
  });

  it('with 72 of ПК and 140 in all, one 4-hour ИОМ', () => {
    expect(suggestActions(nmo, { pk: 72, iom: 68 })[0].actions).toEqual([{ typeCode: 'iom', count: 1, quantityEach: 4 }]);
  });

  it('with nothing yet, splits into the fewest equal programs the range allows', () => {
    expect(suggestActions(nmo, {}).map((s) => s.actions)).toEqual([
      [{ typeCode: 'pk', count: 1, quantityEach: 144 }],
      [
        { typeCode: 'pk', count: 1, quantityEach: 72 },
        { typeCode: 'iom', count: 2, quantityEach: 36 },
      ],
      [
        { typeCode: 'pk', count: 1, quantityEach: 72 },
        { typeCode: 'event', count: 6, quantityEach: 12 },
      ],
    ]);
  });

  it('respects caps: a ПК capped at 100 with 90 counted can bring only 10 more', () => {
    const capped: RuleSet = {
      ...nmo,
      code: 'capped',
      creditTypes: nmo.creditTypes.map((type) => (type.code === 'pk' ? { ...type, cap: 100 } : type)),
    };
    expect(suggestActions(capped, { pk: 90 })).toEqual([
      { actions: [{ typeCode: 'iom', count: 2, quantityEach: 27 }], actionCount: 2, credits: 54 },
      {
        // The shortest ПК program is 16 hours, of which only 10 still count under the cap.
        actions: [
          { typeCode: 'pk', count: 1, quantityEach: 16 },
          { typeCode: 'iom', count: 2, quantityEach: 22 },
        ],
        actionCount: 3,
        credits: 54,
      },
      { actions: [{ typeCode: 'event', count: 5, quantityEach: 11 }], actionCount: 5, credits: 55 },
    ]);
  });

  it('proposes nothing when the requirement is met', () => {
    expect(suggestActions(nmo, { pk: 144 })).toEqual([]);
  });
});
