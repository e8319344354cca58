import type { CdkCode } from "../../manifest/cdk-code.js";
import { GatehouseError } from "../../errors.js";
import { type ApiManifest, type AuthManifest, LOCAL_ACCOUNT_ID, MANIFEST_VERSION, type Manifest, type TableManifest } from "../../manifest/manifest.js";
import type { UnemulatedManifest } from "../../manifest/manifest.js";
import { ConstructNode } from "./construct-node.js";
import type { FunctionProps } from "./function-props.js";
import type { SstFunction } from "./function.js";
import type { Stack } from "./stack.js";

export interface AppProps {
  name: string;
  stage: string;
  region: string;
  /** Absolute path of the app directory. */
  root: string;
  /** Absolute path of sst.json's `esbuildConfig`, applied to every Node function. */
  esbuildConfig?: string;
}

/** Anything that adds itself to the manifest when the app is synthesized. */
export interface Synthesizable {
  synthApi?(): ApiManifest;
  synthAuth?(): AuthManifest;
  /** Constructs of the registry (registry.ts) add their own sections to the manifest being built. */
  contribute?(manifest: Manifest): void;
  synthTable?(): TableManifest;
}

/** SST's App: the root every stack hangs from; `synth()` turns the tree into a manifest. */
export class App {
  readonly name: string;
  readonly stage: string;
  readonly region: string;
  readonly root: string;
  readonly esbuildConfig: string | undefined;
  readonly account = LOCAL_ACCOUNT_ID;
  readonly local = true;
  readonly stacks: Stack[] = [];
  readonly functions = new Map<string, SstFunction>();
  readonly members: Synthesizable[] = [];
  readonly node: ConstructNode;
  private readonly notices = new Set<string>();
  private readonly unemulated: UnemulatedManifest[] = [];
  /** Tags from `Tags.of(x).add`: kept for a cloud target, no local effect. */
  readonly tags: Array<{ path: string; key: string; value: string }> = [];
  private readonly defaultProps: Array<FunctionProps | ((stack: Stack) => FunctionProps)> = [];

  constructor(props: AppProps) {
    this.name = props.name;
    this.stage = props.stage;
    this.region = props.region;
    this.root = props.root;
    this.esbuildConfig = props.esbuildConfig;
    this.node = new ConstructNode(this, undefined, "");
  }

  /** Records a construct nothing local stands in for, and says so once (docs/sst-apps.md, "CDK code"). */
  recordUnemulated(entry: UnemulatedManifest): void {
    if (this.unemulated.some((known) => known.stackId === entry.stackId && known.id === entry.id && known.kind === entry.kind)) return;
    this.unemulated.push(entry);
    this.notice(`${entry.location ?? entry.stackId}: ${entry.kind} "${entry.id}" is not emulated locally; routes that need it will fail at call time`);
  }

  /** Props every function gets unless it sets its own (environments merge). */
  setDefaultFunctionProps(props: FunctionProps | ((stack: Stack) => FunctionProps)): void {
    this.defaultProps.push(props);
  }

  /** SST 1.x spelling of setDefaultFunctionProps. */
  addDefaultFunctionEnv(environment: Record<string, string>): void {
    this.defaultProps.push({ environment });
  }

  /** SST v0.42+: permissions every function gets. */
  addDefaultFunctionPermissions(permissions: unknown): void {
    this.defaultProps.push({ permissions });
  }

  /** Layers are a deploy-time concern; accepted so stacks run unchanged. */
  addDefaultFunctionLayers(_layers: unknown[]): void {
    this.notice("addDefaultFunctionLayers is accepted and has no effect locally.");
  }

  /** The default function props that apply in `stack`, in the order they were set. */
  defaultFunctionProps(stack: Stack): FunctionProps[] {
    return this.defaultProps.map((props) => (typeof props === "function" ? props(stack) : props));
  }

  /** `<stage>-<app>-<name>`, as SST prefixes resource names. */
  logicalPrefixedName(name: string): string {
    return `${this.stage}-${this.name}-${name}`;
  }

  /** Records, once, a prop that is accepted but cannot be honoured locally. */
  notice(text: string): void {
    this.notices.add(text);
  }

  registerFunction(fn: SstFunction): void {
    if (this.functions.has(fn.manifestId)) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `Two functions share the id "${fn.manifestId}". Fix: give each construct a unique id.`);
    }
    this.functions.set(fn.manifestId, fn);
  }

  /** The plain manifest of everything constructed so far. */
  /** `cdkCode`: the CDK code recorded while the stacks ran (app/cdk/cdk-recorder.ts). */
  synth(cdkCode: CdkCode = { ops: [], values: {} }): Manifest {
    const apis: ApiManifest[] = [];
    const auths: AuthManifest[] = [];
    const tables: TableManifest[] = [];
    for (const member of this.members) {
      if (member.synthApi) apis.push(member.synthApi());
      if (member.synthAuth) auths.push(member.synthAuth());
      if (member.synthTable) tables.push(member.synthTable());
    }
    const manifest: Manifest = {
      version: MANIFEST_VERSION,
      app: { name: this.name, stage: this.stage, region: this.region, root: this.root },
      stacks: this.stacks.map((stack) => ({ id: stack.id, name: stack.stackName, outputs: { ...stack.outputs }, location: stack.location })),
      apis,
      functions: Object.fromEntries([...this.functions.values()].map((fn) => [fn.manifestId, fn.synth()])),
      auths,
      tables,
      notices: [],
      topics: [],
      queues: [],
      crons: [],
      staticSites: [],
      unemulated: this.unemulated.map((entry) => ({ ...entry })),
      cdkCode,
    };
    for (const member of this.members) member.contribute?.(manifest);
    // Contributions may add notices (an unbuilt site), so the list is read last.
    manifest.notices = [...this.notices];
    return manifest;
  }
}
