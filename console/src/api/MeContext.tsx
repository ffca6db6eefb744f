import { createContext, useContext } from 'react';

/** The signed-in principal as the API reports it (`me`). */
export interface Me {
  readonly subject: string;
  readonly roles: readonly string[];
  readonly legalEntities: readonly string[];
  readonly permissions: readonly string[];
}

export const MeContext = createContext<Me>({ subject: '', roles: [], legalEntities: [], permissions: [] });

export const useMe = (): Me => useContext(MeContext);

/** Whether the principal has a permission (security/roles.ts on the server decides; this only hides what it would refuse). */
export const useMay = (permission: string): boolean => useMe().permissions.includes(permission);
