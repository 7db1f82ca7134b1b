/**
 * Text that crosses a boundary: from people into the database and files, from the database into HTML
 * messages. One definition of each cleaning, so every entry point cleans the same way.
 */

/** C0 control characters except tab, line feed and carriage return, and DEL. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;

/**
 * Text as people type it, minus the control characters no reader sees and PostgreSQL (U+0000 in text,
 * error 22021/22P05) or XML refuses. Tab, line feed and carriage return stay.
 */
export function stripControlCharacters(text: string): string {
  return text.replace(CONTROL, '');
}

/**
 * Like `stripControlCharacters`, but each one becomes U+FFFD («�»), one UTF-16 unit like the character
 * it replaces, so offsets into the text (a Telegram message's formatting entities) stay right.
 */
export function replaceControlCharacters(text: string): string {
  return text.replace(CONTROL, '\ufffd');
}

/** Text from people (names, organization titles, messages) goes into HTML messages escaped, always. */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// eslint-disable-next-line no-control-regex -- control characters are among those replaced
const UNSAFE_IN_FILE_NAME = /[:*?"<>|\u0000-\u001f\u007f]/g;

/** A file name safe in any archive tool and file system: no folders, no control or reserved characters. */
export function safeFileName(name: string, maxLength = 100, fallback = 'file'): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const clean = base.replace(UNSAFE_IN_FILE_NAME, '_').trim().slice(0, maxLength);
  return clean || fallback;
}
