import type { IncomingMessage } from "node:http";

const MAX_BODY_BYTES = 64 * 1024;
// Past the limit the rest is read and dropped, so the client gets its 413 instead of a reset connection;
// beyond this much the connection is cut.
const MAX_DRAIN_BYTES = 8 * 1024 * 1024;

/** Reads a request body; rejects bodies over 64 KiB so an untrusted client cannot exhaust memory. */
export async function readRawBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_DRAIN_BYTES) {
      req.destroy();
      break;
    }
    if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
  }
  if (size > MAX_BODY_BYTES) throw new Error("request body too large");
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a form or JSON body into string-valued fields; undefined when it is neither or malformed. */
export function parseFields(contentType: string | undefined, raw: string): Record<string, string> | undefined {
  const type = (contentType ?? "").split(";")[0].trim().toLowerCase();
  if (type === "application/json") {
    try {
      const parsed = JSON.parse(raw) as unknown;
      if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
      const fields: Record<string, string> = {};
      for (const [key, value] of Object.entries(parsed)) {
        if (typeof value === "string") fields[key] = value;
        else if (typeof value === "number" || typeof value === "boolean") fields[key] = String(value);
        // Objects (e.g. user_metadata) are kept as JSON text for the one endpoint that reads them.
        else if (value && typeof value === "object") fields[key] = JSON.stringify(value);
      }
      return fields;
    } catch {
      return undefined;
    }
  }
  if (type === "application/x-www-form-urlencoded" || type === "") {
    return Object.fromEntries(new URLSearchParams(raw));
  }
  return undefined;
}
