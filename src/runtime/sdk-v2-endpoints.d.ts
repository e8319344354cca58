// Types for sdk-v2-endpoints.js (plain JavaScript so handler workers load it without a TypeScript loader).
export function pointSdkV2AtLocalEndpoints(AWS: unknown, env: Record<string, string | undefined>): void;
export function configureSdkV2WhenLoaded(env: Record<string, string | undefined>): void;
