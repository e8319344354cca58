/**
 * The construct tree as CDK code walks it: `this.node.root`, `node.scope`, `node.path`, `Stack.of(x)`. Stacks,
 * SST constructs, the `Construct` base class and recorded stand-ins all hang from the App (docs/sst-apps.md).
 */

/** Marks an object as a Stack across the two copies of this code (the stacks bundle carries its own). */
export const STACK_BRAND = Symbol.for("gatehouse.stack");
/** Carried by every stand-in of an unemulated construct: its owner's record. */
export const RECORDED = Symbol.for("gatehouse.recorded");

interface TreeMember {
  node?: ConstructNode;
  [STACK_BRAND]?: true;
  [RECORDED]?: { stack: unknown } | null;
}

/** `construct.node`: its id, scope, children and the root App. */
export class ConstructNode {
  readonly children: unknown[] = [];
  private readonly context = new Map<string, unknown>();
  private readonly dependencies: unknown[] = [];

  constructor(
    readonly host: unknown,
    readonly scope: unknown,
    readonly id: string,
  ) {
    (scope as TreeMember | undefined)?.node?.children.push(host);
  }

  /** The App at the top of the tree. */
  get root(): unknown {
    let current: unknown = this.host;
    for (let depth = 0; depth < 1000; depth++) {
      const parent = (current as TreeMember).node?.scope;
      if (parent === undefined || parent === null) return current;
      current = parent;
    }
    return current;
  }

  /** `Stack/Construct/Child`, as CDK spells construct paths. */
  get path(): string {
    const parentPath = (this.scope as TreeMember | undefined)?.node?.path ?? "";
    return parentPath === "" ? this.id : `${parentPath}/${this.id}`;
  }

  get addr(): string {
    return this.path;
  }

  get defaultChild(): unknown {
    return undefined;
  }

  tryGetContext(key: string): unknown {
    return this.context.get(key) ?? (this.scope as TreeMember | undefined)?.node?.tryGetContext(key);
  }

  setContext(key: string, value: unknown): void {
    this.context.set(key, value);
  }

  tryFindChild(id: string): unknown {
    return this.children.find((child) => (child as TreeMember).node?.id === id);
  }

  findChild(id: string): unknown {
    return this.tryFindChild(id);
  }

  findAll(): unknown[] {
    return [this.host, ...this.children.flatMap((child) => (child as TreeMember).node?.findAll() ?? [child])];
  }

  /** Dependencies order deployment; locally everything exists at once, so they are only remembered. */
  addDependency(...constructs: unknown[]): void {
    this.dependencies.push(...constructs);
  }

  addMetadata(): void {}
  addValidation(): void {}
}

/** The Stack a construct lives in, found by walking up its scopes; null when it is not in one. */
export function stackOf<T = unknown>(scope: unknown): T | null {
  let current = scope as TreeMember | undefined;
  for (let depth = 0; current && depth < 1000; depth++) {
    if (current[STACK_BRAND] === true) return current as T;
    const recorded = current[RECORDED];
    // A stand-in: its record knows the stack (null for values not made with a scope).
    if (recorded !== undefined) return ((recorded as { stack?: unknown } | null)?.stack ?? null) as T | null;
    // SST constructs (Api, Topic, …) keep their stack in `stack`.
    const owner = (current as { stack?: TreeMember }).stack;
    if (owner?.[STACK_BRAND] === true) return owner as T;
    current = current.node?.scope as TreeMember | undefined;
  }
  return null;
}

/** CDK's `Construct` (from `constructs`, or `@aws-cdk/core` in v1): a base class for an app's own constructs. */
export class Construct {
  readonly node: ConstructNode;

  /** CDK's type check across copies of the library: anything with a construct node. */
  static isConstruct(value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as TreeMember).node instanceof ConstructNode;
  }

  constructor(scope: unknown, id: string) {
    this.node = new ConstructNode(this, scope, id);
  }

  /** The App, as SST constructs reach it from their scope. */
  get app(): unknown {
    return (stackOf<{ app: unknown }>(this.node.scope) ?? { app: undefined }).app;
  }

  toString(): string {
    return this.node.path;
  }
}
