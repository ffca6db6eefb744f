export type { Principal } from '../../security/Principal';
