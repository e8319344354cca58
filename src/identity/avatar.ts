import { createHash } from "node:crypto";
import { escapeHtml } from "./html-escape.js";

/** A round avatar with the user's initials: the local stand-in for Auth0's cdn.auth0.com/avatars/<xx>.png. */
export function renderAvatar(initials: string): string {
  const text = initials.slice(0, 2).toUpperCase();
  const hue = createHash("sha256").update(text).digest()[0] * (360 / 256);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="480" viewBox="0 0 480 480">
<circle cx="240" cy="240" r="240" fill="hsl(${Math.round(hue)},55%,55%)"/>
<text x="240" y="300" font-family="sans-serif" font-size="180" fill="#fff" text-anchor="middle">${escapeHtml(text)}</text></svg>`;
}
