/**
 * The construct kinds Gatehouse knows (docs/sst-apps.md, "The construct registry"). A kind is one file that
 * defines its class and registers it here, as oidc-provider registers grant types: its name in the manifest
 * (`sst.Topic`), the name stacks import it by (`Topic` from `@serverless-stack/resources`), and the class, whose
 * `contribute(manifest)` adds its section when the app is synthesized. A name stacks import that no kind has
 * becomes a recorded construct ("not emulated locally"), so an unknown construct never stops the stacks.
 */

export interface ConstructKind {
  /** The kind as the manifest and notices name it: `sst.Topic`. */
  kind: string;
  /** The export name stacks use: `Topic`. */
  exportName: string;
  construct: abstract new (...args: any[]) => unknown;
}

const kinds = new Map<string, ConstructKind>();

/** Adds a kind; called once by the file that defines it. */
export function registerConstructKind(kind: ConstructKind): void {
  const existing = kinds.get(kind.exportName);
  if (existing && existing.construct !== kind.construct) throw new Error(`internal: two construct kinds export "${kind.exportName}"`);
  kinds.set(kind.exportName, kind);
}

/** The kind stacks import as `exportName`, if one is registered. */
export function constructKindByExport(exportName: string): ConstructKind | undefined {
  return kinds.get(exportName);
}

/** Every registered kind, in registration order. */
export function registeredConstructKinds(): ConstructKind[] {
  return [...kinds.values()];
}
