import { portfolioViewFixture } from '../../test/support/portfolio-fixture';
import { escapeXmlAttribute, escapeXmlText, renderPortfolioXml } from './portfolio-xml';
import { validatePortfolioXml } from '../../test/support/portfolio-xsd';

const generatedAt = new Date('2026-11-25T10:00:00Z');

describe('renderPortfolioXml', () => {
  it('is valid against schemas/portfolio.xsd', async () => {
    const xml = renderPortfolioXml({ lang: 'ru', view: portfolioViewFixture(), generatedAt });
    expect(await validatePortfolioXml(xml)).toEqual({ valid: true, errors: [] });
  });

  it('escapes text and attributes and drops characters XML cannot carry', async () => {
    const view = portfolioViewFixture();
    view.portfolio.goal = 'цель \u0001 & <b>"кавычки"</b>';
    const xml = renderPortfolioXml({ lang: 'ru', view, generatedAt }).toString('utf8');
    expect(xml).toContain('<goal>цель  &amp; &lt;b&gt;"кавычки"&lt;/b&gt;</goal>');
    expect(xml).toContain('<url>https://cyberleninka.ru/article/n/x?a=1&amp;b=2</url>');
    expect(xml).toContain('>удостоверение &lt;ПК&gt;.pdf</document>');
    expect((await validatePortfolioXml(xml)).valid).toBe(true);
    expect(escapeXmlAttribute('a"b\n<')).toBe('a&quot;b&#10;&lt;');
    expect(escapeXmlText('\u0000x')).toBe('x');
  });

  it('carries the person without personal identifiers, the period, the window and both parts', () => {
    const xml = renderPortfolioXml({ lang: 'ru', view: portfolioViewFixture(), generatedAt }).toString('utf8');
    expect(xml).toContain(
      '<portfolio xmlns="urn:nmo-assistant:portfolio:1" id="11111111-2222-4333-8444-555555555555" version="1" generatedAt="2026-11-25T10:00:00.000Z" lang="ru">',
    );
    expect(xml).toContain('<category>NURSE</category>');
    expect(xml).toContain('<period start="2022-01-20" end="2027-01-19"/>');
    expect(xml).toContain('<submissionWindow opensOn="2026-01-20" open="true"/>');
    expect(xml).toContain('<item id="11111111-2222-4333-8444-000000000003" type="pk" access="restricted">');
    expect(xml).toContain('<date>2023-04-10</date>');
    expect(xml).toContain(`<document sha256="${'a'.repeat(64)}" mediaType="application/pdf" sizeBytes="1234">`);
    expect(xml).toContain('<education credits="78">');
    expect(xml).not.toMatch(/phone|snils|inn/i);
  });

  it('the validator does refuse what breaks the schema', async () => {
    const xml = renderPortfolioXml({ lang: 'ru', view: portfolioViewFixture(), generatedAt })
      .toString('utf8')
      .replace('access="restricted"', 'access="secret"');
    const result = await validatePortfolioXml(xml);
    expect(result.valid).toBe(false);
    expect(result.errors.join('\n')).toContain('secret');
  });
});
