export async function main() {
  return {
    statusCode: 200,
    body: JSON.stringify({ greeting: process.env.GREETING, bucket: process.env.NOTES_BUCKET, isLocal: process.env.IS_LOCAL_STACKS }),
  };
}
