import greeting from "./greeting.txt";
import svg from "./avatar.svg";

export async function main(event) {
  const initials = event.pathParameters.id.slice(0, 2).toUpperCase();
  return {
    statusCode: 200,
    headers: { "content-type": "image/svg+xml", "x-greeting": greeting.trim(), "x-style": process.env.AVATAR_STYLE },
    body: svg.replace("{{initials}}", initials),
  };
}
