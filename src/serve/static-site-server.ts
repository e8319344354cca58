import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { type Server, createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";
import { GatehouseError } from "../errors.js";
import type { StaticSiteManifest } from "../manifest/manifest.js";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
  ".woff": "font/woff",
  ".woff2": "font/woff2",
  ".webp": "image/webp",
};

/**
 * Serves one StaticSite's build folder as its CDN would (docs/sst-apps.md, "Static sites"): `/` and folders
 * answer their index page, a missing file answers the error page (404), or for single-page apps the index page
 * with 200. Only files inside the folder are ever read.
 */
export class StaticSiteServer {
  private server: Server | null = null;

  constructor(private site: StaticSiteManifest) {}

  update(site: StaticSiteManifest): void {
    this.site = site;
  }

  async listen(port: number, host: string): Promise<string> {
    const server = createServer((req, res) => {
      void this.answer(req.method ?? "GET", req.url ?? "/").then(
        ({ status, file }) => {
          if (!file) {
            res.writeHead(status, { "content-type": "text/plain; charset=utf-8" }).end(status === 405 ? "Method Not Allowed" : "Not Found");
            return;
          }
          res.writeHead(status, { "content-type": TYPES[extname(file).toLowerCase()] ?? "application/octet-stream" });
          if (req.method === "HEAD") res.end();
          else createReadStream(file).on("error", () => res.destroy()).pipe(res);
        },
        () => res.writeHead(500).end(),
      );
    });
    await new Promise<void>((resolve, reject) => {
      server.once("error", (err: NodeJS.ErrnoException) =>
        reject(err.code === "EADDRINUSE" ? new GatehouseError("GH_ERR_PORT_IN_USE", `port ${port} on ${host} is in use; stop the other server or pick another port`) : err),
      );
      server.listen(port, host, () => resolve());
    });
    this.server = server;
    const address = server.address();
    const actual = typeof address === "object" && address ? address.port : port;
    return `http://${host.includes(":") ? `[${host}]` : host}:${actual}`;
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async answer(method: string, url: string): Promise<{ status: number; file: string | null }> {
    if (method !== "GET" && method !== "HEAD") return { status: 405, file: null };
    let path: string;
    try {
      path = decodeURIComponent(new URL(url, "http://site").pathname);
    } catch {
      return { status: 400, file: null };
    }
    const root = this.site.root;
    const candidate = normalize(join(root, path));
    if (candidate !== root && !candidate.startsWith(root + sep)) return { status: 404, file: null };
    const found = (await isFile(candidate)) ? candidate : (await isFile(join(candidate, this.site.indexPage))) ? join(candidate, this.site.indexPage) : null;
    if (found) return { status: 200, file: found };
    if (this.site.errorPage) {
      const errorFile = join(root, this.site.errorPage);
      if (await isFile(errorFile)) return { status: this.site.spa ? 200 : 404, file: errorFile };
    }
    return { status: 404, file: null };
  }
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
