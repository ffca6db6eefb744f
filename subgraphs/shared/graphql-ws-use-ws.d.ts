// finsync compiles with `moduleResolution: node`, which does not read package `exports`: point TypeScript at
// graphql-ws's own declarations for the `graphql-ws/use/ws` entry (Node resolves it through `exports`).
declare module 'graphql-ws/use/ws' {
  export * from 'graphql-ws/dist/use/ws';
}
