/**
 * User-controlled text made safe for a terminal or a log line: control and invisible formatting characters
 * are shown as escapes (`\x1b`, `\u202e`), so they cannot move the cursor, recolour or hide text. With
 * `maxLength`, longer text is cut and marked with `…`. Quoted as JSON would be, for an unambiguous reading.
 */
export function printable(text: string, maxLength?: number): string {
  const chars = [...text];
  const cut = maxLength !== undefined && chars.length > maxLength;
  return `"${escapeControls((cut ? chars.slice(0, maxLength) : chars).join(""))}${cut ? "…" : ""}"`;
}

/** `text` with control and formatting characters (and backslashes) written as escapes. */
export function escapeControls(text: string): string {
  return text.replace(/[\p{Cc}\p{Cf}\\]/gu, (char) => {
    if (char === "\\") return "\\\\";
    const code = char.codePointAt(0)!;
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}
