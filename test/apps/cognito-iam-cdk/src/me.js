// Looks the caller up in the user pool; needs Cognito, which is not available offline.
export async function main() {
  const poolId = process.env.USER_POOL_ID;
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(poolId)) throw new Error(`USER_POOL_ID is not a user pool id: ${poolId}`);
  return { statusCode: 200, body: JSON.stringify({ poolId }) };
}
