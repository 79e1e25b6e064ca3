// The `smpp` npm package ships no types. It is a dev dependency only: the bench's baseline peer
// and the tests' independent SMPP implementation (differential codec tests, interop).
declare module 'smpp'
declare module 'smpp/lib/defs.js'
