/** Who is calling: set by the authentication middleware, read by guards and handlers. */
export interface Caller {
  readonly id: number;
}

declare module 'http' {
  interface IncomingMessage {
    /** The authenticated caller; present on every route behind `authenticate`. */
    caller?: Caller;
  }
}
