import info from "build-info";

export async function main() {
  return {
    statusCode: 200,
    body: JSON.stringify({ handlerBuiltBy: info.builtBy, stacksBuiltBy: process.env.STACKS_BUILT_BY, mainBound: process.env.MAIN_BOUND_TO_MODULE }),
  };
}
