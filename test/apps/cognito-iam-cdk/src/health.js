export async function main() {
  return { statusCode: 200, body: JSON.stringify({ ok: true, region: process.env.AWS_REGION }) };
}
