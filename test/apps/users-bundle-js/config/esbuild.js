// esbuild plugins for the stacks and every function (sst.json "esbuildConfig")
const buildInfo = {
  name: "build-info",
  setup(build) {
    build.onResolve({ filter: /^build-info$/ }, (args) => ({ path: args.path, namespace: "build-info" }));
    build.onLoad({ filter: /.*/, namespace: "build-info" }, () => ({
      contents: JSON.stringify({ builtBy: "build-info-plugin", version: "1.4.2" }),
      loader: "json",
    }));
  },
};

module.exports = { plugins: [buildInfo] };
