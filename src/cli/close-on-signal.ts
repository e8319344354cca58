/** Resolves once Ctrl-C (SIGINT) or SIGTERM has been received and `close` has finished, running it once. */
export function closeOnSignal(close: () => Promise<void>): Promise<void> {
  return new Promise((resolve) => {
    let closing = false;
    const stop = () => {
      if (closing) return;
      closing = true;
      close().finally(resolve);
    };
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
}
