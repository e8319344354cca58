export async function main() {
  return { statusCode: 200, body: JSON.stringify({ status: "ok", runtime: "node" }) };
}
