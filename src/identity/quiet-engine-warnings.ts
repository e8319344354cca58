/**
 * oidc-provider prints two warnings that are expected here and would only alarm users: "Unsupported runtime"
 * at import on Node 20 (it runs on 20.12+, which has crypto.hash; see shared notes), and "already parsed
 * request body", the consequence of accepting JSON token requests as Auth0 does. Only those two are held back.
 */
const EXPECTED = ["oidc-provider WARNING: Unsupported runtime", "oidc-provider WARNING: already parsed request body"];
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  const first = args[0];
  if (typeof first === "string" && EXPECTED.some((text) => first.includes(text))) return;
  warn(...args);
};
