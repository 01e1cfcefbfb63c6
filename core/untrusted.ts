/**
 * Text from outside (commit messages and PR titles by the change's author, comments and names by
 * whoever decides, custom data by whoever configured the pipeline), made neutral before any
 * channel escapes it for its own format. No channel format here: each escaper calls this first.
 */

/**
 * Characters that change how text *looks* without being seen, removed rather than escaped:
 * - bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) and the marks
 *   (U+200E, U+200F, U+061C): UAX #9 lets them reorder what is displayed, so "Fix typo" can read
 *   differently from what it says (the "Trojan Source" attack, CVE-2021-42574);
 * - zero-width space, non-joiner and joiner (U+200B–U+200D), word joiner and invisible operators
 *   (U+2060–U+2064), deprecated format controls (U+206A–U+206F), BOM (U+FEFF), soft hyphen
 *   (U+00AD), Mongolian vowel separator (U+180E), interlinear annotations (U+FFF9–U+FFFB) and tag
 *   characters (U+E0000–U+E007F): invisible, they let "@​everyone" or a look-alike word slip past
 *   a reader and our own checks, or smuggle text nobody sees.
 * Removing U+200D splits emoji sequences (👩‍💻 shows as 👩💻); still readable, and worth it.
 */
const INVISIBLE =
  /[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb]|\udb40[\udc00-\udc7f]/g;

/** Line ends in all their spellings: CR LF, CR, NEL (U+0085), LINE and PARAGRAPH SEPARATOR. */
const LINE_END = /\r\n|[\r\u0085\u2028\u2029]/g;

// biome-ignore lint/suspicious/noControlCharactersInRegex: replacing control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Untrusted text with invisible and bidi format characters removed, line ends as `\n`, and
 * other control characters (escape sequences, NUL, C1) as spaces. Line breaks and tabs stay.
 */
export function neutral(text: string): string {
  return text.replace(INVISIBLE, "").replace(LINE_END, "\n").replace(CONTROL, " ");
}

/** `neutral`, on one line: every run of whitespace or line ends becomes one space, trimmed. */
export function neutralLine(text: string): string {
  return neutral(text).replace(/\s+/g, " ").trim();
}

/** The first line of untrusted text (any line-end spelling), neutral. */
export function firstLineOf(text: string): string {
  return neutralLine(neutral(text).split("\n", 1)[0] ?? "");
}
