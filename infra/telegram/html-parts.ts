/**
 * Messages we compose in Telegram's HTML (parse_mode=HTML): Telegram's limit counts the text after the
 * markup is parsed, so these helpers count what a person sees (a tag counts nothing, `&amp;` one
 * character, a character outside the BMP two UTF-16 units, as Telegram counts) and never cut inside a
 * tag or an entity: a part closes the tags open at its end and the next part opens them again.
 */

/** A piece of markup: a tag (nothing visible) or one visible character (an entity such as `&lt;` is one). */
interface Atom {
  raw: string;
  visible: number;
  tag?: { name: string; closing: boolean };
}

// Telegram knows four named entities (&lt; &gt; &amp; &quot;) and numeric ones; any other `&name;` is plain text.
const ATOM = /<\/?([a-zA-Z][a-zA-Z0-9-]*)(?:\s[^>]*)?>|&(?:#\d+|#x[0-9a-fA-F]+|lt|gt|amp|quot);|[\s\S]/gu;

function atomsOf(html: string): Atom[] {
  const atoms: Atom[] = [];
  for (const match of html.matchAll(ATOM)) {
    const raw = match[0];
    if (match[1] !== undefined) atoms.push({ raw, visible: 0, tag: { name: match[1].toLowerCase(), closing: raw[1] === '/' } });
    else if (raw.startsWith('&') && raw.length > 1) atoms.push({ raw, visible: 1 });
    else atoms.push({ raw, visible: raw.length });
  }
  return atoms;
}

/** The length Telegram measures a parse_mode=HTML text by. */
export function visibleLength(html: string): number {
  return atomsOf(html).reduce((sum, atom) => sum + atom.visible, 0);
}

/**
 * Splits HTML into parts of at most `limit` visible units, at a line break in the second half of the
 * room when there is one (the break is not repeated), else at a space, else at the room's end; tags open
 * at a cut are closed at the end of one part and opened again at the start of the next.
 */
export function splitHtml(html: string, limit: number): string[] {
  const parts: string[] = [];
  /** Tags open where the current part starts, and where it has got to. */
  let opening: Atom[] = [];
  let open: Atom[] = [];
  let current: Atom[] = [];
  let visible = 0;
  type Cut = { at: number; open: Atom[] };
  let lineBreak: Cut | null = null;
  let space: Cut | null = null;

  const closeAll = (tags: Atom[]) =>
    tags
      .slice()
      .reverse()
      .map((atom) => `</${atom.tag!.name}>`)
      .join('');
  const start = (tags: Atom[]) => {
    opening = tags.slice();
    open = tags.slice();
    current = [];
    visible = 0;
    lineBreak = null;
    space = null;
  };
  const push = (atom: Atom): void => {
    if (visible + atom.visible > limit && visible > 0) {
      const cut: Cut | null = lineBreak ?? space;
      const at = cut ? cut.at : current.length;
      const tags = cut ? cut.open : open;
      parts.push(
        opening.map((a) => a.raw).join('') +
          current
            .slice(0, at)
            .map((a) => a.raw)
            .join('') +
          closeAll(tags),
      );
      const rest = current.slice(cut ? at + 1 : at);
      start(tags);
      for (const again of rest) push(again);
      return push(atom);
    }
    current.push(atom);
    visible += atom.visible;
    if (atom.tag) {
      if (!atom.tag.closing) open.push(atom);
      else {
        const index = open.map((a) => a.tag!.name).lastIndexOf(atom.tag.name);
        if (index >= 0) open.splice(index, 1);
      }
    } else if ((atom.raw === '\n' || atom.raw === ' ') && visible >= limit / 2) {
      const cut = { at: current.length - 1, open: open.slice() };
      if (atom.raw === '\n') lineBreak = cut;
      else space = cut;
    }
  };
  for (const atom of atomsOf(html)) push(atom);
  parts.push(opening.map((a) => a.raw).join('') + current.map((a) => a.raw).join(''));
  const kept = parts.filter((part) => part.replace(/<[^>]*>/g, '').trim() !== '');
  return kept.length > 0 ? kept : parts.slice(0, 1);
}

/** HTML cut to `limit` visible units with «…» at the end, its open tags closed (for an edit, which cannot become two messages). */
export function cutHtml(html: string, limit: number): string {
  if (visibleLength(html) <= limit) return html;
  const [first] = splitHtml(html, limit - 1);
  const closing = /((?:<\/[a-zA-Z0-9-]+>)*)$/.exec(first)![1];
  return `${first.slice(0, first.length - closing.length).trimEnd()}…${closing}`;
}
