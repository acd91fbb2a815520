/// <reference types="next" />
// Next's ambient types (CSS modules among them), also when `tsc` runs before
// `next build` has written next-env.d.ts (which is not committed).
