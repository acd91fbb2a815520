import https from 'node:https';

/** GETs JSON over HTTPS, trusting only `ca`; for the components' calls to the authorization server. */
export function fetchJson(url: string, ca: string, timeoutMs = 5_000): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, timeout: timeoutMs }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => {
        if (response.statusCode !== 200) return reject(new Error(`GET ${url}: HTTP ${response.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
        } catch (error) {
          reject(error);
        }
      });
    });
    request.on('timeout', () => request.destroy(new Error(`GET ${url}: timed out`)));
    request.on('error', reject);
  });
}
