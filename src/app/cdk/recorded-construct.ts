/**
 * Stand-ins for CDK constructs nothing local emulates (docs/sst-apps.md, "CDK code in stacks"). Creating one with
 * `(scope, id, …)` records it once as not emulated; every property of it, or of the class, is another stand-in:
 * callable, constructible, chainable, and printing as a token that names where it came from. So stacks that build
 * a Cognito pool, a VPC or an RDS cluster run on, and only what really needs the resource fails, at call time.
 */
import type { CdkValue } from "../../manifest/cdk-code.js";
import type { UnemulatedManifest } from "../../manifest/manifest.js";
import { unemulatedToken } from "../../manifest/tokens.js";
import { type ConstructNode, RECORDED, stackOf } from "../constructs/construct-node.js";
import { callerLocation } from "../constructs/source-location.js";
import { CdkRecorder, setExpression } from "./cdk-recorder.js";

interface RecordingApp {
  root: string;
  recordUnemulated(entry: UnemulatedManifest): void;
}

interface RecordingStack {
  id: string;
  app: RecordingApp;
}

/** What a stand-in knows of the construct it came from. */
export interface RecordedOwner {
  kind: string;
  id: string;
  stack: RecordingStack | null;
  props: unknown;
}

const OWNER_OF = new WeakMap<object, RecordedOwner>();

/** The record behind a stand-in (kind, id, stack, props), or null for anything else. */
export function recordedConstructOf(value: unknown): RecordedOwner | null {
  return (value !== null && (typeof value === "object" || typeof value === "function") && OWNER_OF.get(value as object)) || null;
}

/**
 * A stand-in for `path` (`my-stack/Pool.userPoolId`), owned by `owner` when it came from a recorded construct.
 * `expression` says how the value is computed from recorded code (a property of op 3's result…); with it, the
 * stand-in's token is named in the synth's recording, so a cloud target can put the real value in its place.
 */
export function standIn(path: string, owner: RecordedOwner | null, node?: ConstructNode, expression?: CdkValue): any {
  const recorder = CdkRecorder.current();
  const name = expression !== undefined && recorder ? recorder.name(path, expression) : path;
  const token = unemulatedToken(name);
  const target = function standInValue() {} as unknown as Record<PropertyKey, unknown>;
  const proxy: any = new Proxy(target, {
    get(inner, prop) {
      if (prop === RECORDED) return owner;
      if (prop === Symbol.toPrimitive) return () => token;
      if (prop === Symbol.iterator) return function* empty() {};
      if (typeof prop === "symbol") return undefined;
      if (prop === "toString" || prop === "toJSON" || prop === "valueOf") return () => token;
      // Not a thenable: `await standIn` must not wait forever.
      if (prop === "then") return undefined;
      if (prop === "node" && node) return node;
      if (prop === "prototype") return inner.prototype;
      if (Object.hasOwn(inner, prop) && prop !== "name" && prop !== "length") return inner[prop];
      return standIn(`${name}.${prop}`, owner, undefined, expression === undefined ? undefined : { get: [expression, prop] });
    },
    set(inner, prop, value) {
      inner[prop] = value;
      return true;
    },
    apply(_inner, _this, args) {
      // A method call (`pool.addClient(…)`, `role.addToPolicy(…)`): recorded, since it may change the construct.
      return standIn(`${name}()`, owner, undefined, CdkRecorder.step("call", expression, args));
    },
    construct(_inner, args) {
      return constructRecorded(name, args, expression);
    },
  });
  if (owner) OWNER_OF.set(proxy, owner);
  if (expression !== undefined) setExpression(proxy, expression);
  return proxy;
}

/**
 * A class of a CDK (or SST) package nothing local implements: `kind` is `cognito.UserPool`, `source` where the
 * real class lives (`{ module: "aws-cdk-lib/aws-cognito", name: "UserPool" }`). Static members
 * (`UserPool.fromUserPoolId`, `Schedule.rate`) are stand-ins; `new` records the construct when given a scope and
 * an id, and otherwise (`new iam.ServicePrincipal("x")`) makes a plain value stand-in, since only constructs
 * take `(scope, id)`.
 */
export function recordedClass(kind: string, source?: { module: string; name: string }): any {
  const expression: CdkValue | undefined = source ? { class: source } : undefined;
  const Recorded = function RecordedConstruct(this: unknown, ...args: unknown[]) {
    if (!new.target) return standIn(`${kind}()`, null, undefined, CdkRecorder.step("call", expression, args));
    return constructRecorded(kind, args, expression);
  } as unknown as Record<PropertyKey, unknown>;
  const proxy = new Proxy(Recorded, {
    get(inner, prop) {
      if (typeof prop === "symbol" || prop === "prototype" || prop === "call" || prop === "apply" || prop === "bind") return inner[prop];
      if (prop === "name") return kind;
      if (Object.hasOwn(inner, prop) && prop !== "length") return inner[prop];
      return standIn(`${kind}.${prop}`, null, undefined, expression === undefined ? undefined : { get: [expression, prop] });
    },
  });
  if (expression !== undefined) setExpression(proxy, expression);
  return proxy;
}

function constructRecorded(kind: string, args: unknown[], target: CdkValue | undefined): any {
  const [scope, id, props] = args;
  const expression = CdkRecorder.step("new", target, args);
  const stack = typeof id === "string" ? stackOf<RecordingStack>(scope) : null;
  if (!stack || typeof id !== "string") return standIn(`${kind}(…)`, null, undefined, expression);
  const owner: RecordedOwner = { kind, id, stack, props };
  stack.app.recordUnemulated({ kind, id, stackId: stack.id, location: callerLocation(stack.app.root) });
  // Children built inside it (`new cognito.UserPoolClient(pool, …)`) find its stack through the record.
  return standIn(`${stack.id}/${id}`, owner, undefined, expression);
}

/**
 * `known` with every other property a stand-in named `path.<prop>`: for CDK objects that SST constructs expose
 * (`api.httpApi`), where stacks read a few members Gatehouse knows and sometimes others it does not.
 */
export function withStandIns<T extends object>(known: T, path: string): T {
  return new Proxy(known, {
    get(target, prop, receiver) {
      if (typeof prop === "symbol" || prop in target) return Reflect.get(target, prop, receiver);
      if (prop === "then" || prop === "toJSON") return undefined;
      return standIn(`${path}.${prop}`, null);
    },
  });
}
