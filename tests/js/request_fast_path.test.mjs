// The request builder's fast path in Node, workerd (miniflare) and headless Chromium.
import { runPortable } from '../harness/portable.mjs';

await runPortable('tests/portable/request_fast_path.mjs', {});
