/** Print a message for the person at the terminal and exit: 1 for a refusal, 2 for wrong usage. */
export function fail(message: string, code = 1): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}
