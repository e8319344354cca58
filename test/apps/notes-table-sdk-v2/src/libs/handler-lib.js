export default function handler(lambda) {
  return async (event, context) => {
    let body, statusCode;
    try {
      body = await lambda(event, context);
      statusCode = body === null ? 404 : 200;
    } catch (e) {
      console.error(e);
      body = { error: e.message, code: e.code };
      statusCode = 500;
    }
    return { statusCode, body: JSON.stringify(body) };
  };
}
