import { Role } from './roles';

/** An API key as the rest of the system sees it: never with its secret or hash. */
export interface ApiKey {
  id: string;
  name: string;
  role: Role;
  keyPrefix: string;
  isBootstrap: boolean;
  createdAt: Date;
  revokedAt: Date | null;
}
