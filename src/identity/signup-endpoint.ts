import type { IncomingMessage, ServerResponse } from "node:http";
import { isGatehouseError } from "../errors.js";
import { emailProblem } from "./email-address.js";
import { isStrongEnough } from "./password-hash.js";
import { parseFields, readRawBody } from "./request-body.js";
import type { TenantRuntime } from "./tenant-runtime.js";
import { sendJson } from "./send-response.js";

/** The database connection every tenant has, as on a new Auth0 tenant. */
export const DATABASE_CONNECTION = "Username-Password-Authentication";

function badRequest(res: ServerResponse, code: string, description: string): void {
  sendJson(res, 400, { name: "BadRequestError", code, description, statusCode: 400 });
}

/**
 * Auth0's `POST /dbconnections/signup`: 200 with the user (`_id` without `auth0|`), and Auth0's non-OAuth
 * error shape; a duplicate e-mail answers the generic `invalid_signup` so sign-up does not enumerate users.
 */
export async function dbConnectionsSignup(tenant: TenantRuntime, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const fields = parseFields(req.headers["content-type"], await readRawBody(req));
  if (!fields) return badRequest(res, "invalid_body", "The body must be a JSON object.");
  if (!fields.client_id || !tenant.store.getApplication(fields.client_id)) return badRequest(res, "invalid_body", "Missing or unknown client_id");
  if (fields.connection !== undefined && fields.connection !== DATABASE_CONNECTION) {
    return badRequest(res, "invalid_connection", `Connection "${fields.connection}" does not exist.`);
  }
  if (!fields.email || !fields.password) return badRequest(res, "invalid_body", "Missing email or password");
  // Checked before anything else is done with it; the answer never echoes the address (docs/identity-input.md).
  if (emailProblem(fields.email.trim())) return badRequest(res, "invalid_signup", "Invalid email address");
  if (!isStrongEnough(fields.password)) {
    return sendJson(res, 400, {
      name: "PasswordStrengthError",
      message: "Password is too weak",
      code: "invalid_password",
      description: { rules: [{ message: "At least %d characters in length", format: [8], code: "lengthAtLeast", verified: fields.password.length >= 8 }], verified: false },
      policy: "* At least 8 characters in length\n* Contain at least 3 of the following 4 types of characters:\n * lower case letters (a-z)\n * upper case letters (A-Z)\n * numbers (i.e. 0-9)\n * special characters (e.g. !@#$%^&*)",
      statusCode: 400,
    });
  }
  try {
    const user = await tenant.store.addUser({
      email: fields.email,
      password: fields.password,
      name: fields.name,
      nickname: fields.nickname,
      picture: fields.picture,
      givenName: fields.given_name,
      familyName: fields.family_name,
    });
    sendJson(res, 200, {
      _id: user.id.replace(/^auth0\|/, ""),
      email_verified: user.emailVerified,
      email: user.email,
      ...(fields.username ? { username: fields.username } : {}),
      ...(user.givenName ? { given_name: user.givenName } : {}),
      ...(user.familyName ? { family_name: user.familyName } : {}),
      ...(fields.name ? { name: user.name } : {}),
      ...(fields.nickname ? { nickname: user.nickname } : {}),
      ...(fields.picture ? { picture: user.picture } : {}),
    });
  } catch (err) {
    if (!isGatehouseError(err)) throw err;
    if (/already exists/.test(err.message)) return badRequest(res, "invalid_signup", "Invalid sign up");
    badRequest(res, "invalid_signup", err.message);
  }
}
