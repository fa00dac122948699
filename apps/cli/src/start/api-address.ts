/**
 * Where `npm start`'s own probes and its banner reach the API, given the API_HOST it listens on:
 * a wildcard or loopback address is reached on loopback, any other address as itself.
 */
export interface ApiAddress {
  /** Base URL `npm start` itself calls (readiness, demo set-up). */
  probe: string;
  /** Base URL printed for the user. */
  shown: string;
  /** Listening on every interface: other machines can reach the API. */
  everyInterface: boolean;
}

const WILDCARDS = new Set(['0.0.0.0', '::', '[::]']);

export function apiAddress(host: string, port: number): ApiAddress {
  if (WILDCARDS.has(host)) return { probe: `http://127.0.0.1:${port}`, shown: `http://localhost:${port}`, everyInterface: true };
  if (host === 'localhost' || /^127\./.test(host)) return { probe: `http://${host === 'localhost' ? '127.0.0.1' : host}:${port}`, shown: `http://localhost:${port}`, everyInterface: false };
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return { probe: `http://${bracketed}:${port}`, shown: `http://${bracketed}:${port}`, everyInterface: false };
}
