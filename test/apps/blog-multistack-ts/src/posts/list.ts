export async function main() {
  return { statusCode: 200, body: JSON.stringify({ posts: ["hello-world"], stack: process.env.STACK_NAME, topic: process.env.TOPIC_ARN }) };
}
