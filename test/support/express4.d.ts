// Express 4 is installed under the alias `express4` (SPEC R3: the adapter runs on 4.21+ and 5);
// its API is typed with Express's own types, which cover both for what the tests use.
declare module 'express4' {
  import express from 'express';
  export default express;
}
