// A simple-response Lambda authorizer (payload 2.0): a fixed token per user, as a team would stub it.
const USERS = {
  "Bearer alice-token": { userId: "alice", plan: "pro", seats: 3, admin: true },
  "Bearer bob-token": { userId: "bob", plan: "free", seats: 1, admin: false },
};

export async function handler(event) {
  console.log(`authorizer invoked for ${event.routeKey} (${event.identitySource.join(",")})`);
  const user = USERS[event.identitySource[0]];
  if (!user) return { isAuthorized: false };
  return { isAuthorized: true, context: user };
}
