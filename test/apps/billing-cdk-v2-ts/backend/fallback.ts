export const main = async () => ({ statusCode: 404, body: JSON.stringify({ message: "No such billing route" }) });
