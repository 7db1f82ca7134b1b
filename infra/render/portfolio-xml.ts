import type { PortfolioView } from '../../core/portfolio/portfolio.service';
import type { Lang } from '../i18n';

/** The namespace of schemas/portfolio.xsd; a breaking change of the format gets a new number. */
export const PORTFOLIO_XML_NAMESPACE = 'urn:nmo-assistant:portfolio:1';

export interface PortfolioXmlInput {
  lang: Lang;
  view: Pick<PortfolioView, 'portfolio' | 'owner' | 'ruleSet' | 'items' | 'completeness' | 'window'>;
  /** Passed in so that the same input gives the same bytes. */
  generatedAt: Date;
}

type Attributes = Record<string, string | number | boolean | null | undefined>;

/** A node of the tiny builder: text children are escaped when written, never before. */
interface XmlElement {
  name: string;
  attributes: Attributes;
  children: Array<XmlElement | string>;
}

function el(name: string, attributes: Attributes = {}, ...children: Array<XmlElement | string | null | undefined | false>): XmlElement {
  return { name, attributes, children: children.filter((c): c is XmlElement | string => c !== null && c !== undefined && c !== false) };
}

/** A text element, left out when the text is empty (the schema wants non-empty text). */
function textEl(name: string, text: string | null | undefined): XmlElement | null {
  const clean = stripInvalid(text ?? '').trim();
  return clean ? el(name, {}, clean) : null;
}

/** Characters XML 1.0 cannot carry at all (control characters other than tab, line feed, carriage return). */
function stripInvalid(text: string): string {
  // eslint-disable-next-line no-control-regex -- the allowed ranges start at tab
  return text.replace(/[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '');
}

export function escapeXmlText(text: string): string {
  return stripInvalid(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function escapeXmlAttribute(text: string): string {
  return escapeXmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

function write(node: XmlElement, indent: string, out: string[]): void {
  const attributes = Object.entries(node.attributes)
    .filter(([, v]) => v !== null && v !== undefined)
    .map(([k, v]) => ` ${k}="${escapeXmlAttribute(String(v))}"`)
    .join('');
  if (node.children.length === 0) {
    out.push(`${indent}<${node.name}${attributes}/>`);
  } else if (node.children.every((c) => typeof c === 'string')) {
    out.push(`${indent}<${node.name}${attributes}>${(node.children as string[]).map(escapeXmlText).join('')}</${node.name}>`);
  } else {
    out.push(`${indent}<${node.name}${attributes}>`);
    for (const child of node.children) {
      if (typeof child === 'string') out.push(`${indent}  ${escapeXmlText(child)}`);
      else write(child, `${indent}  `, out);
    }
    out.push(`${indent}</${node.name}>`);
  }
}

const decimal = (value: number): string => String(Math.round(value * 100) / 100);

function documentsEl(item: PortfolioView['items'][number]): XmlElement {
  return el(
    'documents',
    {},
    ...item.documents.map((d) =>
      el('document', { sha256: d.sha256, mediaType: d.mediaType, sizeBytes: d.sizeBytes }, stripInvalid(d.originalName ?? '')),
    ),
  );
}

/** The portfolio as XML valid against schemas/portfolio.xsd (UTF-8). */
export function renderPortfolioXml(input: PortfolioXmlInput): Buffer {
  const { portfolio, owner, ruleSet, items, completeness, window } = input.view;
  const report = items.filter((i) => i.item.section === 'ACTIVITY_REPORT');
  const education = items.filter((i) => i.item.section === 'EDUCATION');
  const root = el(
    'portfolio',
    { xmlns: PORTFOLIO_XML_NAMESPACE, id: portfolio.id, version: '1', generatedAt: input.generatedAt.toISOString(), lang: input.lang },
    textEl('name', portfolio.name),
    el(
      'person',
      {},
      textEl('fullName', owner.name) ?? el('fullName', {}, '—'),
      textEl('category', owner.category),
      textEl('specialty', owner.specialty),
      textEl('organization', owner.organization),
    ),
    el('period', { start: isoDate(portfolio.periodStart), end: isoDate(portfolio.periodEnd) }),
    textEl('goal', portfolio.goal),
    el('ruleSet', { code: ruleSet.code, version: ruleSet.version, unit: ruleSet.unit, required: decimal(ruleSet.required) }),
    window && el('submissionWindow', { opensOn: window.opensOn, open: window.open }),
    el(
      'activityReport',
      {},
      ...report.map((v) =>
        el(
          'item',
          { id: v.item.id, kind: v.typeCode, access: v.item.accessLevel.toLowerCase() },
          textEl('title', v.item.title),
          textEl('description', v.item.description),
          textEl('url', v.item.url),
          documentsEl(v),
        ),
      ),
    ),
    el(
      'education',
      { credits: decimal(completeness.educationCredits) },
      ...education.map((v) =>
        el(
          'item',
          { id: v.item.id, type: v.typeCode, access: v.item.accessLevel.toLowerCase() },
          textEl('title', v.item.title),
          textEl('description', v.item.description),
          el('hours', {}, decimal(v.item.hours ?? 0)),
          v.date && el('date', {}, v.date),
          documentsEl(v),
        ),
      ),
    ),
  );
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  write(root, '', out);
  return Buffer.from(`${out.join('\n')}\n`, 'utf8');
}

function isoDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}
