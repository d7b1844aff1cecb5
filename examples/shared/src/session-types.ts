import type { User } from './users.js';

/** What both example apps keep in a session: a counter, and the logged-in user's attributes. */
declare module '@sessionware/core' {
  interface SessionData {
    counter: number;
  }
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface SessionUser extends User {}
}
