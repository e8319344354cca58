import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import { GatehouseError } from "../../errors.js";
import type { Manifest } from "../../manifest/manifest.js";
import { siteUrlToken, unemulatedToken } from "../../manifest/tokens.js";
import type { Synthesizable } from "./app.js";
import { stackOf } from "./construct-node.js";
import { registerConstructKind } from "./registry.js";
import { callerLocation } from "./source-location.js";
import type { Stack } from "./stack.js";

export const StaticSiteErrorOptions = { REDIRECT_TO_INDEX_PAGE: "redirect_to_index_page" } as const;

export interface StaticSiteProps {
  path: string;
  buildOutput?: string;
  buildCommand?: string;
  indexPage?: string;
  errorPage?: string;
  environment?: Record<string, unknown>;
  [other: string]: unknown;
}

/**
 * SST's StaticSite: served locally from its build folder on a port of its own when that folder holds the index
 * page; otherwise a notice says how to build it (docs/sst-apps.md, "Static sites"). Nothing is built for you.
 */
export class StaticSite implements Synthesizable {
  readonly stack: Stack;
  readonly id: string;
  readonly manifestId: string;
  protected readonly kind: string = "sst.StaticSite";
  private readonly props: StaticSiteProps;
  private readonly where: string;
  private readonly defaults: { buildOutput: string; buildCommand: string | null; spa: boolean };

  constructor(scope: Stack, id: string, props: StaticSiteProps, defaults = { buildOutput: ".", buildCommand: null as string | null, spa: false }) {
    scope = stackOf<Stack>(scope) ?? scope;
    this.stack = scope;
    this.id = id;
    this.manifestId = `${scope.id}/${id}`;
    this.props = props;
    this.defaults = defaults;
    this.where = `${callerLocation(scope.app.root) ?? scope.id}: ${new.target === StaticSite ? "StaticSite" : "ReactStaticSite"} "${id}"`;
    if (typeof props?.path !== "string" || !existsSync(join(scope.app.root, props.path))) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `${this.where}: path ${JSON.stringify(props?.path)} does not exist in ${scope.app.root}.`);
    }
    scope.app.members.push(this);
  }

  /** The URL the site is served at (a token until the stage serves it). */
  get url(): string {
    return siteUrlToken(this.manifestId);
  }

  get customDomainUrl(): string | undefined {
    return undefined;
  }

  get bucketName(): string {
    return unemulatedToken(`${this.manifestId}.bucketName`);
  }

  get bucketArn(): string {
    return unemulatedToken(`${this.manifestId}.bucketArn`);
  }

  get distributionId(): string {
    return unemulatedToken(`${this.manifestId}.distributionId`);
  }

  get distributionDomain(): string {
    return unemulatedToken(`${this.manifestId}.distributionDomain`);
  }

  contribute(manifest: Manifest): void {
    const app = this.stack.app;
    const root = join(app.root, this.props.path, this.props.buildOutput ?? this.defaults.buildOutput);
    const indexPage = this.props.indexPage ?? "index.html";
    const built = existsSync(join(root, indexPage));
    if (!built) {
      const command = this.props.buildCommand ?? this.defaults.buildCommand;
      app.notice(
        `${this.where}: ${relative(app.root, join(root, indexPage))} does not exist, so the site is not served locally. Fix: build it${command ? ` (${command} in ${this.props.path})` : ""} and save a stack file.`,
      );
    }
    const spa = this.props.errorPage === StaticSiteErrorOptions.REDIRECT_TO_INDEX_PAGE || (this.props.errorPage === undefined && this.defaults.spa);
    manifest.staticSites.push({
      id: this.manifestId,
      constructId: this.id,
      stackId: this.stack.id,
      kind: this.kind,
      path: this.props.path,
      root,
      built,
      indexPage,
      errorPage: spa ? indexPage : (this.props.errorPage ?? null),
      spa,
      environment: Object.fromEntries(Object.entries(this.props.environment ?? {}).map(([key, value]) => [key, String(value)])),
    });
  }
}

/** SST's ReactStaticSite: a StaticSite built with `npm run build` into `build/`, errors answered with the index page. */
export class ReactStaticSite extends StaticSite {
  protected override readonly kind: string = "sst.ReactStaticSite";

  constructor(scope: Stack, id: string, props: StaticSiteProps) {
    super(scope, id, props, { buildOutput: "build", buildCommand: "npm run build", spa: true });
    const wrong = Object.keys(props.environment ?? {}).filter((key) => !key.startsWith("REACT_APP_"));
    if (wrong.length > 0) {
      throw new GatehouseError("GH_ERR_CONSTRUCT_INVALID", `ReactStaticSite "${id}": environment ${wrong.join(", ")} must start with REACT_APP_ (as SST requires).`);
    }
  }
}

registerConstructKind({ kind: "sst.StaticSite", exportName: "StaticSite", construct: StaticSite });
registerConstructKind({ kind: "sst.ReactStaticSite", exportName: "ReactStaticSite", construct: ReactStaticSite });
