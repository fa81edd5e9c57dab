// Entry point of the action's post step (bundled to dist/action/post.js; see run-post.ts).
import { runPost } from './run-post.ts';

await runPost();
