/**
 * The grammar of inline button payloads. A payload is declared once, as a prefix and its fields, and
 * everything else comes from that declaration: the text a keyboard carries (`data`), the regular
 * expression grammY's `callbackQuery(...)` routes on (`pattern`, one capture group per field, so a
 * handler reads `ctx.match[1]`, `ctx.match[2]`, … in the declared order), the fields read back with
 * their types (`parse`), and the longest payload the fields allow, which must fit Telegram's 64 bytes.
 */

/** Telegram refuses an inline button whose callback_data is longer than this (in UTF-8 bytes). */
export const CALLBACK_DATA_MAX_BYTES = 64;

/** One field of a payload: what the matcher accepts and how its text reads back. */
export interface Field<Name extends string = string, Value = unknown> {
  readonly name: Name;
  /** Regular expression source of the field's text, without capture groups. */
  readonly source: string;
  /** The longest text the field accepts: what the 64-byte check measures. */
  readonly longest: string;
  /** Written before the field (after the prefix or the previous field). */
  readonly separator: string;
  /** An optional field may only come last: absent, it is absent together with its separator. */
  readonly optional: boolean;
  decode(text: string): Value;
}

type Encodable = string | number;

function field<Name extends string, Value>(
  name: Name,
  source: string,
  longest: string,
  decode: (text: string) => Value,
): Field<Name, Value> {
  return { name, source, longest, separator: ':', optional: false, decode };
}

/**
 * A wizard's nonce (8 hex characters today): a button whose nonce is not the running draft's is stale.
 * 16 characters at most, which leaves room for a UUID beside it under 64 bytes.
 */
export const nonce = <Name extends string = 'nonce'>(name: Name = 'nonce' as Name) => field(name, '[a-z0-9]{1,16}', 'z'.repeat(16), String);

/** A database id (PostgreSQL UUID, lower case). */
export const uuid = <Name extends string>(name: Name) => field(name, '[0-9a-f-]{36}', 'f'.repeat(36), String);

/** A UUID in 22 characters of base64url (`compactId`), so that two fit in one payload. */
export const compactId = <Name extends string>(name: Name) => field(name, '[A-Za-z0-9_-]{22}', '_'.repeat(22), String);

/** One of a fixed set of words; typed as that union. */
export function oneOf<Name extends string, const Values extends readonly string[]>(
  name: Name,
  values: Values,
): Field<Name, Values[number]> {
  const longest = values.reduce((a, b) => (b.length > a.length ? b : a), '');
  return field(name, `(?:${values.map(escapeRegExp).join('|')})`, longest, (text) => text as Values[number]);
}

/** A whole number of at most `digits` digits (a page, a day count, an hour). */
export function int<Name extends string>(name: Name, digits: number): Field<Name, number> {
  return field(name, digits === 1 ? '\\d' : `\\d{1,${digits}}`, '9'.repeat(digits), Number);
}

/** One digit from `from` to `to` (a rating from 1 to 5). */
export function digit<Name extends string>(name: Name, from: number, to: number): Field<Name, number> {
  return field(name, `[${from}-${to}]`, String(to), Number);
}

/**
 * Text of a given character class and at most `maxLength` characters: codes from data (a credit type of a
 * rule set, a staff category, a notification kind). A value longer than that cannot be a button.
 */
export function code<Name extends string>(name: Name, characters: string, maxLength: number, minLength = 1): Field<Name, string> {
  const longest = characters.startsWith('[') ? firstCharacterOf(characters).repeat(maxLength) : characters;
  return field(name, `${characters}{${minLength},${maxLength}}`, longest, String);
}

/** A field of its own shape (e.g. an IANA time zone): its source and longest accepted text are given. */
export const shaped = <Name extends string>(name: Name, source: string, longest: string) => field(name, source, longest, String);

/** The same field written after another separator (the quiet-hours preset's `start-end`). */
export const after = <F extends Field>(separator: string, f: F): F => ({ ...f, separator });

/** The same field, allowed to be absent (only last: `pf:items` and `pf:items:2`). */
export const optional = <Name extends string, Value>(f: Field<Name, Value>): Field<Name, Value | undefined> => ({
  ...f,
  optional: true,
});

type ValueOf<F> = F extends Field<string, infer V> ? V : never;
type EncodedOf<F> =
  F extends Field<string, infer V> ? (undefined extends V ? Encodable | undefined : V extends number ? number : V) : never;

/** The values `data` takes, in the declared order (an optional last field may be left out). */
export type ButtonValues<Fields extends readonly Field[]> = { [K in keyof Fields]: EncodedOf<Fields[K]> };

/** The fields a payload reads back to, by name. */
export type ButtonFields<Fields extends readonly Field[]> = { [F in Fields[number] as F['name']]: ValueOf<F> };

export interface ButtonPayload<Fields extends readonly Field[] = readonly Field[]> {
  readonly prefix: string;
  readonly fields: Fields;
  /** For `bot.callbackQuery(...)`: anchored, one capture group per field in the declared order. */
  readonly pattern: RegExp;
  /** The payload a keyboard carries. Throws on a value its own pattern would not match, or over 64 bytes. */
  data(...values: ButtonValues<Fields>): string;
  /** The fields of a payload of this kind, or null for any other text. */
  parse(data: string): ButtonFields<Fields> | null;
  /** The fields, typed, of a handler's `ctx.match` (a match of `pattern`, or the payload itself). */
  fieldsOf(match: string | RegExpMatchArray): ButtonFields<Fields>;
  /** The longest payload the fields allow, which the declaration already checked against 64 bytes. */
  readonly longest: string;
}

/**
 * Declares one payload: `button('dsp:k', nonce(), oneOf('kind', ['e', 'f', 'a']))` is `dsp:k:<nonce>:<kind>`.
 * Throws at declaration when the longest payload it allows would not fit Telegram's 64 bytes.
 */
export function button<const Fields extends readonly Field[]>(prefix: string, ...fields: Fields): ButtonPayload<Fields> {
  fields.forEach((f, i) => {
    if (f.optional && i !== fields.length - 1) throw new Error(`${prefix}: only the last field may be optional (${f.name})`);
  });
  const pattern = new RegExp(
    `^${escapeRegExp(prefix)}${fields
      .map((f) => {
        const group = `${escapeRegExp(f.separator)}(${f.source})`;
        return f.optional ? `(?:${group})?` : group;
      })
      .join('')}$`,
  );
  const longest = prefix + fields.map((f) => f.separator + f.longest).join('');
  if (byteLength(longest) > CALLBACK_DATA_MAX_BYTES) {
    throw new Error(`${prefix}: the longest payload is ${byteLength(longest)} bytes, over Telegram's ${CALLBACK_DATA_MAX_BYTES}`);
  }
  return {
    prefix,
    fields,
    pattern,
    longest,
    data(...values) {
      let text = prefix;
      fields.forEach((f, i) => {
        const value = (values as readonly (Encodable | undefined)[])[i];
        if (value === undefined && f.optional) return;
        text += f.separator + String(value);
      });
      // A payload its own matcher refuses would be a button that does nothing; say so where it is made.
      if (!pattern.test(text) || byteLength(text) > CALLBACK_DATA_MAX_BYTES) {
        throw new Error(`${prefix}: a value does not fit the button's declared fields (${fields.map((f) => f.name).join(', ')})`);
      }
      return text;
    },
    parse(data) {
      const match = pattern.exec(data);
      return match ? fieldsOf(match) : null;
    },
    fieldsOf(match) {
      if (typeof match !== 'string') return fieldsOf(match);
      const fromText = pattern.exec(match);
      if (!fromText) throw new Error(`${prefix}: not a payload of this button`);
      return fieldsOf(fromText);
    },
  };

  function fieldsOf(match: RegExpMatchArray): ButtonFields<Fields> {
    const parsed: Record<string, unknown> = {};
    fields.forEach((f, i) => {
      const text = match[i + 1];
      parsed[f.name] = text === undefined ? undefined : f.decode(text);
    });
    return parsed as ButtonFields<Fields>;
  }
}

/** One matcher for several payloads (e.g. every review button, which only agents may press). */
export function anyOf(...payloads: readonly ButtonPayload[]): RegExp {
  return new RegExp(payloads.map((p) => `(?:${p.pattern.source})`).join('|'));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function firstCharacterOf(characterClass: string): string {
  // '[A-Z_]' → 'A', '[a-z0-9.-]' → 'a': every character in these classes is one UTF-8 byte.
  return characterClass.charAt(1);
}

function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
