// A simple-response Lambda authorizer (payload 2.0): a fixed token per user, as a team would stub it.
const USERS = {
  "Bearer alice-token": { userId: "alice", plan: "pro", seats: 3, admin: true },
  "Bearer bob-token": { userId: "bob", plan: "free", seats: 1, admin: false },
};

export async function handler(event, context) {
  console.log(`authorizer invoked for ${event.routeKey} (${event.identitySource.join(",")})`);
  const user = USERS[event.identitySource[0]];
  if (!user) return { isAuthorized: false };
  // Which invocation decided, so the routes can tell a cached decision from a fresh one.
  return { isAuthorized: true, context: { ...user, decidedBy: context.awsRequestId } };
}
