import { createContext, useContext, type Accessor } from 'solid-js';
import type { Privilege } from '../gql/graphql.ts';

export interface Me {
  id: string;
  email: string;
  name: string;
  privileges: Privilege[];
  roles: { name: string }[];
}

export interface Session {
  me: Accessor<Me>;
  can: (privilege: Privilege) => boolean;
  /** Reads the signed-in user again (their rights may have changed). */
  reload: () => Promise<void>;
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session>();

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the signed-in app');
  return session;
}
