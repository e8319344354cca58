export async function main(event: { Records: unknown[] }) {
  return { ingested: event.Records.length };
}
