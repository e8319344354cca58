import { readFileSync } from "fs";
import { join } from "path";

const notes = JSON.parse(readFileSync(join(__dirname, "seed.json"), "utf8"));

export async function main(event) {
  const note = notes.find((item) => item.noteId === event.pathParameters.id);
  return note
    ? { statusCode: 200, body: JSON.stringify(note) }
    : { statusCode: 404, body: JSON.stringify({ error: true }) };
}
