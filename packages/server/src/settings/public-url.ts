/** Hosts that mean "every interface": fine to bind, useless as an address to reach the server at. */
const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '[::]', '::0', '']);

export interface ListeningAddress {
  /** A URL that reaches the server from this machine. */
  url: string;
  /** The issuer of mandates and the base URL of the published metadata. */
  issuer: string;
  /** Set when the issuer was derived from a wildcard host rather than configured. */
  notice: string | undefined;
}

/**
 * The server's URLs once it listens. A configured public URL is the issuer as it is. Without one,
 * a wildcard host (`0.0.0.0`, `::`) would make `http://0.0.0.0:4000` the issuer, which no client
 * can reach and every verifier configured with the real address refuses (`wrong_issuer`); the
 * loopback address takes its place, and the notice says so.
 */
export function listeningAddress(host: string, port: number, publicUrl: string | undefined): ListeningAddress {
  const wildcard = WILDCARD_HOSTS.has(host);
  const reachableHost = wildcard ? (host.includes(':') ? '[::1]' : '127.0.0.1') : host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  const url = `http://${reachableHost}:${port}`;
  if (publicUrl !== undefined) return { url, issuer: publicUrl, notice: undefined };
  const notice = wildcard
    ? `host ${host} listens on every interface, but no public URL is set: mandates name the issuer ${url}, which only this machine reaches; set CARACAL_PUBLIC_URL (--public-url) to the address clients and verifiers use`
    : undefined;
  return { url, issuer: url, notice };
}
