import type { Message } from "esbuild";

/** esbuild diagnostics as `file:line:col: error: text` with the offending line, like a compiler prints them. */
export function formatBuildMessages(messages: Message[]): string {
  return messages
    .map((message) => {
      const at = message.location;
      if (!at) return `error: ${message.text}`;
      const pointer = `${" ".repeat(at.column)}${"^".repeat(Math.max(1, at.length))}`;
      return `${at.file}:${at.line}:${at.column + 1}: error: ${message.text}\n    ${at.lineText}\n    ${pointer}`;
    })
    .join("\n");
}

/** The diagnostics carried by an esbuild failure, or null when `err` is something else. */
export function buildFailureMessages(err: unknown): Message[] | null {
  const errors = (err as { errors?: Message[] } | null)?.errors;
  return Array.isArray(errors) && errors.length > 0 ? errors : null;
}
