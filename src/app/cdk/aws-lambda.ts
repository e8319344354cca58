/** CDK's `lambda.Runtime`: what stacks pass as `runtime`, read by its `name` (docs/sst-apps.md, "Other runtimes"). */
export class Runtime {
  static readonly NODEJS_10_X = new Runtime("nodejs10.x");
  static readonly NODEJS_12_X = new Runtime("nodejs12.x");
  static readonly NODEJS_14_X = new Runtime("nodejs14.x");
  static readonly NODEJS_16_X = new Runtime("nodejs16.x");
  static readonly NODEJS_18_X = new Runtime("nodejs18.x");
  static readonly NODEJS_20_X = new Runtime("nodejs20.x");
  static readonly NODEJS_22_X = new Runtime("nodejs22.x");
  static readonly NODEJS_24_X = new Runtime("nodejs24.x");
  static readonly PYTHON_3_6 = new Runtime("python3.6");
  static readonly PYTHON_3_7 = new Runtime("python3.7");
  static readonly PYTHON_3_8 = new Runtime("python3.8");
  static readonly PYTHON_3_9 = new Runtime("python3.9");
  static readonly GO_1_X = new Runtime("go1.x");
  static readonly DOTNET_CORE_3_1 = new Runtime("dotnetcore3.1");
  static readonly JAVA_11 = new Runtime("java11");
  static readonly PROVIDED_AL2 = new Runtime("provided.al2");

  constructor(readonly name: string) {}

  toString(): string {
    return this.name;
  }
}

export const Tracing = { ACTIVE: "Active", PASS_THROUGH: "PassThrough", DISABLED: "Disabled" } as const;
export const Architecture = { X86_64: { name: "x86_64" }, ARM_64: { name: "arm64" } } as const;
