/** The oldest Node major the service runs on: the one in `.nvmrc` and `engines` of package.json. */
export const NODE_MAJOR = 24;

/** Why this Node cannot run the service (one line), or null when it can. */
export function nodeVersionProblem(version: string, minimum = NODE_MAJOR): string | null {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1] ?? 0);
  if (major >= minimum) return null;
  return `this service needs Node ${minimum} or newer; this is Node ${version.replace(/^v/, '')} (see .nvmrc)`;
}

/** On an older Node, prints why and exits 1. */
export function refuseOldNode(version = process.version): void {
  const problem = nodeVersionProblem(version);
  if (!problem) return;
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
