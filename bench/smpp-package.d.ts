// The `smpp` npm package ships no types; the bench uses it only as the baseline peer.
declare module 'smpp'
