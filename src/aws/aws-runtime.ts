/**
 * The oldest Node.js runtime AWS Lambda still accepts for new functions. Node.js 20 and older are
 * deprecated for creation (docs/aws-target.md); raise this when AWS retires the next one.
 */
export const OLDEST_SUPPORTED_NODE = 22;

/** The runtime a function gets on AWS, and a notice when the declared one had to be raised. */
export function awsRuntime(declared: string): { runtime: string; notice: string | null } {
  const major = Number(/^nodejs(\d+)\.x$/.exec(declared)?.[1]);
  if (Number.isInteger(major) && major >= OLDEST_SUPPORTED_NODE) return { runtime: declared, notice: null };
  const runtime = `nodejs${OLDEST_SUPPORTED_NODE}.x`;
  return {
    runtime,
    notice: `runtime "${declared}" is no longer accepted by AWS Lambda for new functions; those functions get "${runtime}" on AWS.`,
  };
}
