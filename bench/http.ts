import { request, type Agent } from 'node:http';

/** One JSON request over plain node:http: the lightest client, so the cores go to the service measured. */
export function requestJson<T>(
  agent: Agent,
  method: 'GET' | 'POST',
  url: string,
  auth: string,
  body?: unknown,
): Promise<T> {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string | number> = { authorization: auth };
  if (payload !== undefined)
    Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) });
  return new Promise((resolve, reject) => {
    const req = request(url, { method, agent, headers });
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        if ((res.statusCode ?? 500) >= 300)
          reject(new Error(`${method} ${new URL(url).pathname}: ${res.statusCode} ${text}`));
        else resolve(JSON.parse(text) as T);
      });
    });
    req.end(payload);
  });
}
