export async function main(event) {
  const data = JSON.parse(event.body || "{}");
  return {
    statusCode: 201,
    body: JSON.stringify({ noteId: "id3", content: data.content, createdAt: 1 }),
  };
}
