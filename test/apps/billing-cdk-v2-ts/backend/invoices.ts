export async function list() {
  return { statusCode: 200, body: JSON.stringify({ invoices: [{ id: "inv-1", currency: "EUR" }] }) };
}

export async function run() {
  return { statusCode: 200, body: JSON.stringify({ ran: true, currency: process.env.CURRENCY, region: process.env.REGION }) };
}
