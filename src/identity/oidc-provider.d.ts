// oidc-provider ships no type declarations; the identity provider talks to it through this narrow,
// deliberately loose surface (its configuration object is large and checked at runtime by the library).
declare module "oidc-provider" {
  const Provider: any;
  export default Provider;
  export const errors: any;
}
