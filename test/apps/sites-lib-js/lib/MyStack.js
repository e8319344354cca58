import * as sst from "@serverless-stack/resources";

export default class MyStack extends sst.Stack {
  constructor(scope, id, props) {
    super(scope, id, props);

    const api = new sst.Api(this, "Api", {
      routes: {
        "GET /config": "src/config.main",
      },
    });

    // The landing page, built ahead of time into frontend/dist
    const site = new sst.StaticSite(this, "Site", {
      path: "frontend",
      buildOutput: "dist",
      buildCommand: "npm run build",
      errorPage: sst.StaticSiteErrorOptions.REDIRECT_TO_INDEX_PAGE,
      environment: { API_URL: api.url },
    });

    // The React dashboard: not built in this checkout
    const dashboard = new sst.ReactStaticSite(this, "Dashboard", {
      path: "dashboard",
      environment: { REACT_APP_API_URL: api.url },
    });

    this.addOutputs({
      ApiEndpoint: api.url,
      SiteUrl: site.url,
      DashboardUrl: dashboard.url,
    });
  }
}
