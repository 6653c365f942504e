/** What client authentication needs about an application, read in one query. */
export interface ApplicationCredentials {
  id: string;
  zoneId: string;
  scopes: string[];
  admin: boolean;
  secretHash: string;
  /** The zone's signing key version (see ZoneKeyStore). */
  keyVersion: number;
}
