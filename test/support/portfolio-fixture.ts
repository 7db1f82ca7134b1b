import type { Document, Portfolio, PortfolioItem } from '../../generated/prisma/client';
import type { PortfolioItemView, PortfolioView } from '../../core/portfolio/portfolio.service';
import { checkCompleteness } from '../../core/portfolio/completeness';
import { nmo709n } from '../../core/rules/shipped/nmo-709n';

/** Test helper: a portfolio view as PortfolioService.view gives it, with awkward text on purpose. */
export function portfolioViewFixture(): Omit<PortfolioView, 'evaluation'> {
  const portfolio: Portfolio = {
    id: '11111111-2222-4333-8444-555555555555',
    personId: '11111111-2222-4333-8444-000000000000',
    name: 'Портфолио «Сестринское дело» 2022–2027 & <прочее>',
    periodStart: new Date('2022-01-20T00:00:00Z'),
    periodEnd: new Date('2027-01-19T00:00:00Z'),
    goal: 'Периодическая аккредитация\nпо специальности "Сестринское дело"',
    createdAt: new Date('2026-11-25T10:00:00Z'),
  };
  const item = (n: number, over: Partial<PortfolioItem>): PortfolioItem => ({
    id: `11111111-2222-4333-8444-${String(n).padStart(12, '0')}`,
    portfolioId: portfolio.id,
    section: 'EDUCATION',
    kind: 'pk',
    title: '',
    description: null,
    url: null,
    hours: null,
    accessLevel: 'PRIVATE',
    createdAt: portfolio.createdAt,
    ...over,
  });
  const document: Document = {
    id: '11111111-2222-4333-8444-999999999999',
    personId: portfolio.personId,
    kind: 'CERTIFICATE',
    sha256: 'a'.repeat(64),
    mediaType: 'application/pdf',
    sizeBytes: 1234,
    storageKey: 'k',
    originalName: 'удостоверение <ПК>.pdf',
    telegramFileUniqueId: null,
    expiresAt: null,
    createdAt: portfolio.createdAt,
    deletedAt: null,
  };
  const items: PortfolioItemView[] = [
    {
      item: item(1, {
        section: 'ACTIVITY_REPORT',
        kind: 'report',
        title: 'Отчёт о профессиональной деятельности',
        description: 'Работа в ОРИТ: 1 200 пациентов,\nнаставничество; A&B <c>',
      }),
      typeCode: 'report',
      date: null,
      documents: [],
    },
    {
      item: item(2, {
        section: 'ACTIVITY_REPORT',
        kind: 'publication',
        title: 'Статья',
        description: 'Статья',
        url: 'https://cyberleninka.ru/article/n/x?a=1&b=2',
        accessLevel: 'PUBLIC',
      }),
      typeCode: 'publication',
      date: null,
      documents: [],
    },
    {
      item: item(3, { kind: 'pk:c1', title: 'Сестринское дело в терапии', hours: 72, accessLevel: 'RESTRICTED' }),
      typeCode: 'pk',
      date: '2023-04-10',
      documents: [document],
    },
    { item: item(4, { kind: 'iom', title: 'ИОМ «Сердечно-лёгочная реанимация»', hours: 6 }), typeCode: 'iom', date: null, documents: [] },
  ];
  const completeness = checkCompleteness(
    {
      goal: portfolio.goal,
      items: items.map((v) => ({
        section: v.item.section,
        typeCode: v.typeCode,
        description: v.item.description,
        hours: v.item.hours,
        documents: v.documents.length,
      })),
    },
    nmo709n,
  );
  return {
    portfolio,
    owner: { name: 'Иванова Мария Петровна', category: 'NURSE', specialty: 'Сестринское дело', organization: 'ГКБ № 1 «Демо»' },
    ruleSet: nmo709n,
    items,
    completeness,
    window: { opensOn: '2026-01-20', open: true },
  };
}
