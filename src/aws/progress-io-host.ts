import type { IIoHost, IoMessage, IoRequest } from "@aws-cdk/toolkit-lib";

/** The toolkit's message code for one CloudFormation stack event during a deploy or destroy. */
const STACK_ACTIVITY = "CDK_TOOLKIT_I5502";

interface StackActivityData {
  event?: { StackName?: string; LogicalResourceId?: string; ResourceType?: string; ResourceStatus?: string; ResourceStatusReason?: string };
}

/**
 * The CDK toolkit's output reduced to what a deploy shows: one line per resource event
 * (`prod-app-my-stack | CREATE_COMPLETE | AWS::Lambda::Function | Fn`) and warnings. Questions get their
 * default answers but approvals say yes: `gatehouse deploy` and `remove` are the user's explicit request,
 * as `sst deploy` asks nothing.
 */
export class ProgressIoHost implements IIoHost {
  /** The toolkit repeats some warnings once per asset or role; each is said once. */
  private readonly warned = new Set<string>();

  constructor(private readonly print: (line: string) => void) {}

  async notify(msg: IoMessage<unknown>): Promise<void> {
    if (msg.code === STACK_ACTIVITY) {
      const event = (msg.data as StackActivityData | undefined)?.event;
      if (!event) return;
      const reason = event.ResourceStatusReason && /FAILED/.test(event.ResourceStatus ?? "") ? ` (${event.ResourceStatusReason})` : "";
      this.print(`${event.StackName} | ${event.ResourceStatus} | ${event.ResourceType} | ${event.LogicalResourceId}${reason}`);
      return;
    }
    if (msg.level === "warn" && !this.warned.has(msg.message)) {
      this.warned.add(msg.message);
      this.print(`Notice: ${msg.message}`);
    }
  }

  async requestResponse<T>(msg: IoRequest<unknown, T>): Promise<T> {
    if (typeof msg.defaultResponse === "boolean") return true as T;
    return msg.defaultResponse;
  }
}
