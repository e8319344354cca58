// The protocol engine, loaded after the warnings filter so its import-time notice on Node 20 is held back.
import "./quiet-engine-warnings.js";

export { default as Provider, errors } from "oidc-provider";
