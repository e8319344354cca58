export async function main() {
  return { statusCode: 204 };
}
