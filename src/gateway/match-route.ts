import type { RouteManifest } from "../manifest/manifest.js";
import { parseRouteKey } from "../manifest/route-key.js";
import { GatehouseError } from "../errors.js";
import { setOwn } from "./own-record.js";

/** A matched route with its decoded path parameters (null when the route has no variables). */
export interface RouteMatch {
  route: RouteManifest;
  pathParameters: Record<string, string> | null;
}

/** Selects the route for a request as API Gateway HTTP APIs do (docs/api-gateway.md §2.2). */
export interface Router {
  /** `path` is the decoded request path (no query). */
  match(method: string, path: string): RouteMatch | null;
}

interface Leaf {
  route: RouteManifest;
  /** Variable names in segment order (greedy last). */
  names: string[];
}

/** A node of the segment trie; a route ends either at a node (`routes`) or greedily below it (`greedy`). */
interface Node {
  literals: Map<string, Node>;
  variable: Node | null;
  routes: Map<string, Leaf>;
  greedy: Map<string, Leaf>;
}

function newNode(): Node {
  return { literals: new Map(), variable: null, routes: new Map(), greedy: new Map() };
}

/**
 * Compiles routes once into a trie plus a static lookup table. Throws ROUTE_INVALID for a bad key and
 * ROUTE_DUPLICATE when two routes share a method and path shape.
 */
export function compileRoutes(routes: RouteManifest[]): Router {
  const root = newNode();
  const statics = new Map<string, RouteManifest>();
  let fallback: RouteManifest | null = null;
  let hasGreedy = false;
  for (const route of routes) {
    const parsed = parseRouteKey(route.key);
    if (!parsed.ok) throw new GatehouseError("GH_ERR_ROUTE_INVALID", parsed.error);
    const shape = parsed.route;
    if (shape.isDefault) {
      if (fallback) throw new GatehouseError("GH_ERR_ROUTE_DUPLICATE", 'route "$default" is defined twice');
      fallback = route;
      continue;
    }
    let node = root;
    const names: string[] = [];
    let greedy = false;
    for (const segment of shape.segments) {
      if (segment.kind === "literal") {
        let next = node.literals.get(segment.value);
        if (!next) node.literals.set(segment.value, (next = newNode()));
        node = next;
      } else if (segment.kind === "var") {
        names.push(segment.name);
        node = node.variable ??= newNode();
      } else {
        names.push(segment.name);
        greedy = true;
      }
    }
    const table = greedy ? node.greedy : node.routes;
    const existing = table.get(shape.method);
    if (existing) {
      throw new GatehouseError(
        "GH_ERR_ROUTE_DUPLICATE",
        `routes "${existing.route.key}" and "${route.key}" match the same requests; remove one`,
      );
    }
    table.set(shape.method, { route, names });
    if (greedy) hasGreedy = true;
    else if (names.length === 0) statics.set(`${shape.method} ${shape.path}`, route);
  }
  return new TrieRouter(root, statics, fallback, hasGreedy);
}

class TrieRouter implements Router {
  constructor(
    private readonly root: Node,
    private readonly statics: Map<string, RouteManifest>,
    private readonly fallback: RouteManifest | null,
    private readonly hasGreedy: boolean,
  ) {}

  match(method: string, path: string): RouteMatch | null {
    // `/hello/` reaches `/hello` (docs/api-gateway.md §2.3); the caller still reports the path as received.
    if (path.length > 1 && path.charCodeAt(path.length - 1) === 47) path = path.slice(0, -1);
    // An all-literal route is the most specific match possible, so a hit here needs no tree walk.
    const exact = this.statics.get(`${method} ${path}`) ?? this.statics.get(`ANY ${path}`);
    if (exact) return { route: exact, pathParameters: null };
    const segments = path === "/" ? [] : path.slice(1).split("/");
    const values: string[] = [];
    const full = findFull(this.root, segments, 0, method, values);
    if (full) return { route: full.route, pathParameters: toParameters(full.names, values) };
    if (this.hasGreedy && segments.length > 0) {
      const found = findGreedy(this.root, segments, 0, method, values);
      if (found) return { route: found.route, pathParameters: toParameters(found.names, values) };
    }
    return this.fallback ? { route: this.fallback, pathParameters: null } : null;
  }
}

function pick(table: Map<string, Leaf>, method: string): Leaf | undefined {
  // An explicit method beats ANY; HEAD deliberately does not fall back to GET (docs/api-gateway.md §2.4).
  return table.get(method) ?? table.get("ANY");
}

/** Depth-first, literal before variable, so the first hit is the most specific full match. */
function findFull(node: Node, segments: string[], depth: number, method: string, values: string[]): Leaf | null {
  if (depth === segments.length) return pick(node.routes, method) ?? null;
  const segment = segments[depth];
  const literal = node.literals.get(segment);
  if (literal) {
    const found = findFull(literal, segments, depth + 1, method, values);
    if (found) return found;
  }
  if (node.variable && segment !== "") {
    values.push(segment);
    const found = findFull(node.variable, segments, depth + 1, method, values);
    if (found) return found;
    values.pop();
  }
  return null;
}

/** Like findFull, but ends in a greedy variable covering at least one remaining segment. */
function findGreedy(node: Node, segments: string[], depth: number, method: string, values: string[]): Leaf | null {
  if (depth === segments.length) return null;
  const segment = segments[depth];
  const literal = node.literals.get(segment);
  if (literal) {
    const found = findGreedy(literal, segments, depth + 1, method, values);
    if (found) return found;
  }
  if (node.variable && segment !== "") {
    values.push(segment);
    const found = findGreedy(node.variable, segments, depth + 1, method, values);
    if (found) return found;
    values.pop();
  }
  const leaf = pick(node.greedy, method);
  if (leaf) {
    values.push(segments.slice(depth).join("/"));
    return leaf;
  }
  return null;
}

function toParameters(names: string[], values: string[]): Record<string, string> | null {
  if (names.length === 0) return null;
  const parameters: Record<string, string> = {};
  for (let i = 0; i < names.length; i++) setOwn(parameters, names[i], values[i]);
  return parameters;
}
